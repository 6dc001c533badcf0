"""Where unfinished conversations live: the database by default, Redis when configured.

Both keep conversations under an HMAC of the chat and user ids, so neither the database
nor Redis holds a Telegram id in a key. Both also remember which update ids were handled,
so an update Telegram delivers twice is acted on once.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal, Protocol

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, KeyBuilder, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ConversationState, SeenUpdate
from surveys.pseudonym import derive_key

STATE_PURPOSE = b"firevoice/conversation-key/v1"
SEEN_UPDATES_KEPT_DAYS = 2


class PseudonymousKeyBuilder(KeyBuilder):
    """Storage keys that do not reveal the chat or user they belong to."""

    def __init__(self, secret: bytes, prefix: str = "fv"):
        self._key = derive_key(secret, STATE_PURPOSE)
        self._prefix = prefix

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        ident = f"{key.bot_id}:{key.chat_id}:{key.user_id}:{key.destiny}".encode()
        digest = hmac.new(self._key, ident, hashlib.sha256).hexdigest()
        return f"{self._prefix}:{digest}:{part}" if part else digest


def _state_name(state: str | State | None) -> str | None:
    if isinstance(state, State):
        return state.state
    return state


class SqlStorage(BaseStorage):
    """aiogram FSM storage in the firevoice database (table conversation_states)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], keys: PseudonymousKeyBuilder):
        self._sessions = sessions
        self._keys = keys

    async def _write(self, key: StorageKey, **values: Any) -> None:
        row_key = self._keys.build(key)
        async with self._sessions() as session:
            row = await session.get(ConversationState, row_key)
            if row is None:
                row = ConversationState(key=row_key, state=None, data={})
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_on = date.today()
            if row.state is None and not row.data:
                # Nothing left to remember: keep no row rather than an empty one.
                if row in session.new:
                    session.expunge(row)
                else:
                    await session.delete(row)
            await session.commit()

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        await self._write(key, state=_state_name(state))

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessions() as session:
            row = await session.get(ConversationState, self._keys.build(key))
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessions() as session:
            row = await session.get(ConversationState, self._keys.build(key))
            return dict(row.data) if row and row.data else {}

    async def clear(self, key: StorageKey) -> None:
        async with self._sessions() as session:
            await session.execute(
                delete(ConversationState).where(ConversationState.key == self._keys.build(key))
            )
            await session.commit()

    async def close(self) -> None:
        return None


class SeenUpdates(Protocol):
    async def first_time(self, update_id: int) -> bool:
        """True the first time an update id is offered, False for a redelivery."""


class SqlSeenUpdates:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions

    async def first_time(self, update_id: int) -> bool:
        today = date.today()
        async with self._sessions() as session:
            dialect = session.bind.dialect.name
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            result = await session.execute(
                insert(SeenUpdate)
                .values(update_id=update_id, seen_on=today)
                .on_conflict_do_nothing(index_elements=[SeenUpdate.update_id])
                .returning(SeenUpdate.update_id)
            )
            inserted = result.first() is not None
            # Telegram keeps undelivered updates for 24 hours; older ids cannot come back.
            await session.execute(
                delete(SeenUpdate).where(
                    SeenUpdate.seen_on < today - timedelta(days=SEEN_UPDATES_KEPT_DAYS)
                )
            )
            await session.commit()
            return inserted


class RedisSeenUpdates:
    def __init__(self, redis: Any, prefix: str = "fv:update"):
        self._redis = redis
        self._prefix = prefix

    async def first_time(self, update_id: int) -> bool:
        ttl = SEEN_UPDATES_KEPT_DAYS * 24 * 3600
        return bool(await self._redis.set(f"{self._prefix}:{update_id}", 1, nx=True, ex=ttl))


async def conversation_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return len((await session.scalars(select(ConversationState.key))).all())
