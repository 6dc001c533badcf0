"""One update, one transaction at most (bot/state.py OneTransaction), on both databases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from aiogram.types import Update
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.state import CommitFailed, Conversation, OneTransaction, Tap, forget_seen_updates
from storage.models import ConversationState, SeenUpdate
from surveys.sealing import conversation_key
from tests.conftest import SECRET

Sessions = async_sessionmaker[AsyncSession]
Handler = Callable[[Any, dict[str, Any]], Awaitable[Any]]


@pytest.fixture
def commits() -> Iterator[list[int]]:
    """Every commit any session makes while the test runs."""
    made: list[int] = []

    def committed(_session: Session) -> None:
        made.append(1)

    event.listen(Session, "after_commit", committed)
    yield made
    event.remove(Session, "after_commit", committed)


def update(update_id: int) -> Update:
    return Update(update_id=update_id)


async def count(sessions: Sessions, model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def saving(replies: list[str]) -> Handler:
    """A handler that changes a conversation and replies."""

    async def handler(_event: Any, data: dict[str, Any]) -> None:
        tap: Tap = data["tap"]
        key = conversation_key(SECRET, "telegram", 1)
        await Conversation(tap.uow, "k" * 64, key).set({"phase": "survey", "step": 3})

        async def reply() -> None:
            replies.append("next question")

        tap.reply(reply)

    return handler


async def test_an_update_that_changes_nothing_commits_nothing(
    sessions: Sessions, commits: list[int]
) -> None:
    replies: list[str] = []

    async def read_only(_event: Any, data: dict[str, Any]) -> None:
        tap: Tap = data["tap"]
        await Conversation(tap.uow, "k" * 64, b"k" * 32).get()

        async def reply() -> None:
            replies.append("help text")

        tap.reply(reply)

    await OneTransaction(sessions)(read_only, update(1), {})
    assert commits == [] and replies == ["help text"]
    assert await count(sessions, SeenUpdate) == 0  # not even the seen mark


async def test_an_update_commits_its_changes_and_its_seen_mark_once_then_replies(
    sessions: Sessions, commits: list[int]
) -> None:
    replies: list[str] = []
    middleware = OneTransaction(sessions)
    await middleware(saving(replies), update(2), {})
    assert len(commits) == 1 and replies == ["next question"]
    assert (await count(sessions, SeenUpdate), await count(sessions, ConversationState)) == (1, 1)
    # Delivered again: the handler does not run, nothing is written again.
    await middleware(saving(replies), update(2), {})
    assert len(commits) == 1 and replies == ["next question"]


async def test_a_redelivered_update_shows_the_person_where_they_are(sessions: Sessions) -> None:
    shown: list[int] = []

    async def show_again(event: Update, _data: dict[str, Any]) -> None:
        shown.append(event.update_id)

    middleware = OneTransaction(sessions, show_again)
    await middleware(saving([]), update(3), {})
    await middleware(saving([]), update(3), {})
    assert shown == [3]


async def test_changes_that_cannot_be_saved_leave_nothing_and_send_nothing(
    sessions: Sessions, commits: list[int]
) -> None:
    replies: list[str] = []

    async def failing(event: Any, data: dict[str, Any]) -> None:
        await saving(replies)(event, data)
        await data["tap"].uow.session.execute(text("INSERT INTO no_such_table VALUES (1)"))

    with pytest.raises(CommitFailed):
        await OneTransaction(sessions)(failing, update(4), {})
    assert commits == [] and replies == []
    assert (await count(sessions, SeenUpdate), await count(sessions, ConversationState)) == (0, 0)
    # So when it comes again it is handled in full.
    await OneTransaction(sessions)(saving(replies), update(4), {})
    assert replies == ["next question"] and await count(sessions, SeenUpdate) == 1


async def test_housekeeping_forgets_seen_marks_older_than_telegram_redelivers(
    sessions: Sessions,
) -> None:
    today = date(2026, 11, 27)
    async with sessions() as session:
        session.add_all(
            [
                SeenUpdate(update_id=10, seen_on=today - timedelta(days=3)),
                SeenUpdate(update_id=11, seen_on=today - timedelta(days=1)),
            ]
        )
        await session.commit()
    # Telegram keeps an update for 24 hours: a mark more than a day old can go, and ids
    # restart at random only after a week of silence.
    assert await forget_seen_updates(sessions, today) == 1
    async with sessions() as session:
        assert list(await session.scalars(select(SeenUpdate.update_id))) == [11]
