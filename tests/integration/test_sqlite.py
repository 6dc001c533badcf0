"""SQLite on the event loop's thread (storage/inline_sqlite.py): waiting for another
process's write lock must not stop the bot, and must not wait for ever."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from storage import inline_sqlite, migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWork


def hold_write_lock(path: Path, seconds: float, taken: threading.Event) -> None:
    """Another process's command holding the database's write lock for a while."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    taken.set()
    threading.Event().wait(seconds)
    other.execute("ROLLBACK")
    other.close()


async def mark_update(url: str, update_id: int) -> None:
    engine = make_engine(url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            assert await uow.seen.first_time(update_id, date(2026, 11, 27))
            await uow.commit()
    finally:
        await engine.dispose()


async def test_a_write_waits_for_another_writer_while_the_event_loop_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "firevoice.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(migrate.upgrade, url)
    taken = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, 0.5, taken))
    holder.start()
    assert await asyncio.to_thread(taken.wait, 5)
    ticks = 0

    async def ticking() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(ticking())
    loop = asyncio.get_running_loop()
    started = loop.time()
    await mark_update(url, 1)  # waits for the lock, then commits
    waited = loop.time() - started
    ticker.cancel()
    await asyncio.to_thread(holder.join)
    assert waited >= 0.3  # it did wait for the other writer
    assert ticks >= 15  # and the loop kept running meanwhile (a blocked loop ticks ~0)
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT update_id FROM seen_updates").fetchall() == [(1,)]


async def test_a_lock_held_too_long_fails_the_write_rather_than_waiting_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "firevoice.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(migrate.upgrade, url)
    monkeypatch.setattr(inline_sqlite, "BUSY_TIMEOUT_S", 0.2)
    taken = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, 1.0, taken))
    holder.start()
    assert await asyncio.to_thread(taken.wait, 5)
    with pytest.raises(OperationalError, match="locked"):
        await mark_update(url, 2)
    await asyncio.to_thread(holder.join)
    await mark_update(url, 2)  # once the lock is free, the same write goes through
