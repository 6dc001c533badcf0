"""One update, one transaction: unfinished conversations, redelivery and deferred replies.

Every update runs in one unit of work (`OneTransaction`): the check that it is not a
redelivery, the person's conversation state, their record and a submission all commit
together, once, or not at all. An update that changes nothing durable (a stale button,
/help) commits nothing. Replies wait until the commit has succeeded, so nobody is thanked
for an answer that was not stored; they are sent at least once, effects happen once.

Conversations are kept in the database under an HMAC of the chat and user ids, sealed
with a key that needs the person's Telegram id (surveys/sealing.py): neither the row nor
the deleted copy a submission leaves behind can be read by someone holding the database.
Redis, when configured, only keeps one person's updates in order (event isolation).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.fsm.storage.base import KeyBuilder, StorageKey
from aiogram.types import TelegramObject, Update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.uow import UnitOfWork
from surveys import sealing
from surveys.pseudonym import derive_key

log = logging.getLogger("firevoice.state")

STATE_PURPOSE = b"firevoice/conversation-key/v1"
# Telegram keeps an undelivered update for 24 hours; ids restart at random after a week
# of silence, so a handled id is remembered for two days.
SEEN_UPDATES_KEPT_DAYS = 2


class PseudonymousKeyBuilder(KeyBuilder):
    """Keys (rows, Redis locks) that do not reveal the chat or user they belong to."""

    def __init__(self, secret: bytes, prefix: str = "fv"):
        self._key = derive_key(secret, STATE_PURPOSE)
        self._prefix = prefix

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        ident = f"{key.bot_id}:{key.chat_id}:{key.user_id}:{key.destiny}".encode()
        digest = hmac.new(self._key, ident, hashlib.sha256).hexdigest()
        return f"{self._prefix}:{digest}:{part}" if part else digest

    def row(self, chat_id: int, user_id: int) -> str:
        """The conversation row's key for one person's private chat."""
        ident = f"conversation:{chat_id}:{user_id}".encode()
        return hmac.new(self._key, ident, hashlib.sha256).hexdigest()


Reply = Callable[[], Awaitable[object]]


class ShownQuestions:
    """The message id of the question each conversation was last shown, in memory only.

    Replies are sent after the commit, so a question's message id is not known until the
    update's transaction is over. It is needed only to tidy the question up (show the
    answer, remove its buttons) when the answer is typed rather than tapped, so it is not
    worth a second write: it is kept here, for the most recent conversations, and lost on
    restart or when another worker handles the answer (the question then stays as it was).
    """

    def __init__(self, size: int = 10_000):
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._size = size

    def remember(self, key: str, message_id: int) -> None:
        self._ids[key] = message_id
        self._ids.move_to_end(key)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def pop(self, key: str) -> int | None:
        return self._ids.pop(key, None)


@dataclass
class Tap:
    """One update's unit of work, and what to do once it has committed."""

    uow: UnitOfWork
    shown: ShownQuestions = field(default_factory=ShownQuestions)
    replies: list[Reply] = field(default_factory=list)
    later: list[Reply] = field(default_factory=list)

    def reply(self, call: Reply) -> None:
        """A Telegram call to make after the commit (a message, an edit)."""
        self.replies.append(call)

    def after(self, call: Reply) -> None:
        """Work to do after the replies, in its own transaction (releasing a batch)."""
        self.later.append(call)

    async def deliver(self) -> None:
        for call in self.replies:
            try:
                await call()
            except TelegramForbiddenError:
                log.info("a person has blocked the bot; they will not be contacted again")
                break
            except TelegramAPIError as exc:
                # The effects are stored; a lost reply is shown again by /start.
                log.warning("a reply could not be sent (%s)", type(exc).__name__)
                break
        for call in self.later:
            try:
                await call()
            except Exception as exc:  # housekeeping retries; never fail the update for it
                log.error("after-commit work failed (%s)", type(exc).__name__)


class CommitFailed(Exception):
    """An update's effects could not be committed: it must come again, not be acknowledged."""


@dataclass
class Conversation:
    """One person's unfinished conversation, read once per update and sealed when written."""

    uow: UnitOfWork
    key: str
    box_key: bytes
    _data: dict[str, Any] | None = None
    _stored: bool = True  # whether a row may exist (unknown until read)

    async def get(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            sealed = await self.uow.conversations.get(self.key)
            self._stored = sealed is not None
            if sealed is not None:
                try:
                    opened = json.loads(sealing.unseal(self.box_key, sealed, self._box()))
                    self._data = opened if isinstance(opened, dict) else {}
                except sealing.SealError:
                    log.warning("a conversation could not be opened (was the secret key changed?)")
        return dict(self._data)

    async def set(self, data: dict[str, Any]) -> None:
        if not data:
            await self.clear()
            return
        self._data = dict(data)
        self._stored = True
        # Compact, and padded so the row's length says little about the answers so far.
        plain = json.dumps(data, separators=(",", ":")).encode()
        sealed = sealing.seal(self.box_key, sealing.pad(plain, 512), self._box())
        await self.uow.conversations.put(self.key, sealed, date.today())

    async def clear(self) -> None:
        # Delete only a row that may be there (even one that would not open), so clearing
        # nothing writes nothing.
        if self._stored:
            await self.uow.conversations.delete(self.key)
        self._data, self._stored = {}, False

    def _box(self) -> str:
        return f"conversation:{self.key}"


class OneTransaction(BaseMiddleware):
    """Run each update in one unit of work: seen-update mark and effects commit together.

    Registered after aiogram's FSM middleware, so it runs inside the per-person lock
    (event isolation): one person's updates are handled, committed and answered in order.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        redelivered: Callable[[Update, dict[str, Any]], Awaitable[None]] | None = None,
    ):
        self.sessions = sessions
        self.shown = ShownQuestions()
        # Shows the person where they are when an update they sent comes again: its
        # effects were committed, but the process may have died before replying.
        self.redelivered = redelivered

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        async with UnitOfWork(self.sessions) as uow:
            seen = not await uow.seen.first_time(event.update_id, date.today())
            if seen:
                log.info("update delivered twice; handled once")
                if self.redelivered is None:
                    return None
            before = uow.writes
            tap = Tap(uow, self.shown)
            data["tap"] = tap
            try:
                if seen:
                    result = await self.redelivered(event, data)  # type: ignore[misc]
                else:
                    result = await handler(event, data)
                if uow.writes > before:
                    await uow.commit()
            except SQLAlchemyError as exc:
                # Nothing of the update was kept (not even its seen mark): it must come again.
                # Not chained: the database's message holds the row's values, and this
                # error is logged.
                raise CommitFailed(type(exc).__name__) from None
            # Nothing written: leaving the block rolls back, the seen mark with it.
        await tap.deliver()
        return result


async def forget_seen_updates(sessions: async_sessionmaker[AsyncSession], today: date) -> int:
    """Housekeeping: forget update ids older than Telegram can deliver again."""
    async with UnitOfWork(sessions) as uow:
        gone = await uow.seen.forget_before(today - timedelta(days=SEEN_UPDATES_KEPT_DAYS))
        await uow.commit()
        return gone
