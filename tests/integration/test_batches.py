"""Write-order anonymity (docs/privacy.md, "Write order"): chat responses reach the results tables
only in shuffled batches of at least B per pool, so someone holding the database (row
order, transaction ids, page layout) can narrow a person down to no fewer than B responses.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from scipy.stats import spearmanr
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.state import Conversation
from storage import services
from storage.batches import Batching
from storage.models import Answer, ConversationState, PendingResponse, Response, Wave
from storage.uow import UnitOfWork
from surveys.loader import SurveyCatalog
from surveys.sealing import conversation_key, pending_key
from tests.conftest import ORG_CSV, SECRET

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2026, 11, 24)


async def open_pulse(sessions: Sessions, catalog: SurveyCatalog) -> Wave:
    await services.import_org(sessions, ORG_CSV)
    return await services.open_wave(sessions, catalog.get("staff_pulse"), today=TODAY)


async def submit(
    sessions: Sessions, batching: Batching, wave: Wave, unit: str, number: int
) -> None:
    """One person agrees (their row is written), then answers with a numbered comment."""
    who = f"{number:064d}"
    async with UnitOfWork(sessions) as uow:
        await services.update_person(uow, who, TODAY, consented=True)
        await uow.commit()
    outcome = await services.submit_response(
        sessions,
        batching,
        wave_id=wave.id,
        unit_code=unit,
        pseudonym=who,
        answers={"values_lived": "agree", "comment": f"comment number {number:03d}"},
        snapshot={"sex": "female"},
        today=TODAY,
    )
    assert outcome == services.SubmitOutcome.STORED


async def comments_by_batch(sessions: Sessions) -> dict[str, list[int]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Response.batch_id, Answer.text)
            .join(Answer, Answer.response_id == Response.id)
            .where(Answer.question_key == "comment")
        )
        found: dict[str, list[int]] = {}
        for batch, comment in rows:
            found.setdefault(str(batch), []).append(int(comment.rsplit(" ", 1)[1]))
        return {b: sorted(n) for b, n in found.items()}


async def count(sessions: Sessions, model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_responses_wait_sealed_until_their_pool_fills_then_go_in_as_one_batch(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    batching = Batching(pending_key(SECRET), 10)
    wave = await open_pulse(sessions, catalog)
    # Two watches of one station share a pool; the on-call station has its own.
    for number in range(9):
        await submit(sessions, batching, wave, ("STN01-RED", "STN01-WHITE")[number % 2], number)
    await submit(sessions, batching, wave, "STN02", 100)
    assert await count(sessions, Response) == 0
    async with sessions() as session:
        pending = (await session.scalars(select(PendingResponse))).all()
    assert sorted(p.pool for p in pending) == ["STN01"] * 9 + ["STN02"]
    # Sealed, and all the same length whatever was answered.
    assert not any("comment number" in p.sealed or "female" in p.sealed for p in pending)
    assert len({len(p.sealed) for p in pending}) == 1
    # The live count moves in whole batches, never one by one.
    [summary] = await services.list_waves(sessions)
    assert summary.responses == 0

    await submit(sessions, batching, wave, "STN01-RED", 9)
    batches = await comments_by_batch(sessions)
    assert list(batches.values()) == [list(range(10))]
    async with sessions() as session:
        days = set(await session.scalars(select(Response.submitted_on)))
        left = (await session.scalars(select(PendingResponse.pool))).all()
    assert days == {TODAY} and left == ["STN02"]
    [summary] = await services.list_waves(sessions)
    assert summary.responses == 10


async def test_closing_joins_a_pool_remainder_to_its_earlier_batch(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    batching = Batching(pending_key(SECRET), 5)
    wave = await open_pulse(sessions, catalog)
    for number in range(7):
        await submit(sessions, batching, wave, "STN01-RED", number)
    for number in range(100, 103):
        await submit(sessions, batching, wave, "STN02", number)
    assert list((await comments_by_batch(sessions)).values()) == [[0, 1, 2, 3, 4]]
    await services.close_wave(sessions, batching, wave.id, today=TODAY)
    # The station's two late answers went in again with its first five, as one batch of
    # seven; the on-call station never reached five, so its three are one batch of three.
    assert sorted((await comments_by_batch(sessions)).values()) == [
        [0, 1, 2, 3, 4, 5, 6],
        [100, 101, 102],
    ]
    assert await count(sessions, PendingResponse) == 0
    assert await count(sessions, Answer) == 2 * 10  # every answer exactly once


async def test_a_full_pool_left_by_a_crash_is_released_by_housekeeping(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    batching = Batching(pending_key(SECRET), 5)
    wave = await open_pulse(sessions, catalog)
    for number in range(5):
        async with UnitOfWork(sessions) as uow:
            # The submission committed; the process died before releasing the batch.
            await services.submit_in(
                uow,
                batching,
                wave_id=wave.id,
                unit_code="STN01-RED",
                pseudonym=f"{number:064d}",
                answers={"values_lived": "agree", "comment": f"comment number {number:03d}"},
                snapshot={},
                today=TODAY,
            )
            await uow.commit()
    assert await count(sessions, Response) == 0
    assert await services.release_full_pools(sessions, batching, today=TODAY) == 5
    assert list((await comments_by_batch(sessions)).values()) == [[0, 1, 2, 3, 4]]


async def test_neither_transaction_ids_nor_row_order_tie_a_person_to_their_response(
    sessions: Sessions, catalog: SurveyCatalog, database_url: str
) -> None:
    size = 10
    batching = Batching(pending_key(SECRET), size)
    wave = await open_pulse(sessions, catalog)
    if database_url.startswith("sqlite"):
        # One batch while the table is still one page: each cell's place in the page says
        # when it was written (SQLite fills a page from its end).
        for number in range(size):
            await submit(sessions, batching, wave, "STN01-RED", number)
        await sessions.kw["bind"].dispose()
        order = sqlite_write_order(Path(str(make_url(database_url).database)), "responses")
        async with sessions() as session:
            comment_of = {
                response_id.hex: int(comment.rsplit(" ", 1)[1])
                for response_id, comment in await session.execute(
                    select(Answer.response_id, Answer.text).where(Answer.question_key == "comment")
                )
            }
        written = [comment_of[key] for key in order]
        assert sorted(written) == list(range(size))
        rho = spearmanr(written, range(size)).statistic
        assert abs(rho) < 0.9, f"rows were written in submission order: {written}"
        return
    for number in range(4 * size):
        await submit(sessions, batching, wave, "STN01-RED", number)
    async with sessions() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT r.xmin::text, r.batch_id, a.text FROM responses r "
                    "JOIN answers a ON a.response_id = r.id AND a.question_key = 'comment' "
                    "ORDER BY r.ctid"
                )
            )
        ).all()
        others = set(
            await session.scalars(
                text("SELECT xmin::text FROM participations UNION SELECT xmin::text FROM people")
            )
        )
    by_batch: dict[str, list[tuple[str, int]]] = {}
    for xmin, batch, comment in rows:
        by_batch.setdefault(batch, []).append((xmin, int(comment.rsplit(" ", 1)[1])))
    assert len(by_batch) == 4
    correlations = []
    for members in by_batch.values():
        # One transaction per batch, shared by all its rows and by no participation or
        # person: a transaction id points at a batch, never at one response.
        assert len({x for x, _ in members}) == 1
        assert not {x for x, _ in members} & others
        written = [n for _, n in members]
        correlations.append(abs(spearmanr(written, sorted(written)).statistic))
    # Physical order within each batch is a shuffle (submission order would give 1.0).
    assert statistics.mean(correlations) < 0.7, correlations


def sqlite_write_order(path: Path, table: str) -> list[str]:
    """The keys of a one-page WITHOUT ROWID table, oldest cell first (highest offset)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big") or 65536
    start = (root - 1) * page_size
    page = data[start : start + page_size]
    header = 100 if root == 1 else 0
    assert page[header] == 0x0A, "expected the table to fit in one leaf page"
    cells = int.from_bytes(page[header + 3 : header + 5], "big")
    pointers = [
        int.from_bytes(page[header + 8 + 2 * i : header + 10 + 2 * i], "big") for i in range(cells)
    ]
    keys = {offset: first_text(page, offset) for offset in pointers}
    return [keys[offset] for offset in sorted(pointers, reverse=True)]


def varint(buf: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = buf[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def first_text(page: bytes, offset: int) -> str:
    """The first column (a text key) of an index-leaf cell's record."""
    _, at = varint(page, offset)  # payload size
    header_size, body = varint(page, at)
    serial, _ = varint(page, body)
    body = at + header_size
    length = (serial - 13) // 2
    return page[body : body + length].decode()


async def test_a_conversation_is_sealed_for_its_person_and_leaves_nothing_readable(
    sessions: Sessions, database_url: str
) -> None:
    answer = "my watch manager shouts at me"
    mine = conversation_key(SECRET, "telegram", 1234)
    async with UnitOfWork(sessions) as uow:
        await Conversation(uow, "k" * 64, mine).set({"answers": {"comment": answer}})
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert await Conversation(uow, "k" * 64, mine).get() == {"answers": {"comment": answer}}
        # Another person's key (or the server's alone) opens nothing.
        other = conversation_key(SECRET, "telegram", 999)
        unopened = Conversation(uow, "k" * 64, other)
        assert await unopened.get() == {}
        [sealed] = (await uow.session.scalars(select(ConversationState.sealed))).all()
        assert answer not in sealed
        # Clearing deletes the row even when it did not open (a changed secret key, say).
        await unopened.clear()
        await uow.commit()
    assert await count(sessions, ConversationState) == 0
    if database_url.startswith("sqlite"):
        await sessions.kw["bind"].dispose()
        path = Path(str(make_url(database_url).database))
        files: Sequence[Path] = [path, *path.parent.glob(path.name + "-*")]
        assert not any(answer.encode() in f.read_bytes() for f in files)
