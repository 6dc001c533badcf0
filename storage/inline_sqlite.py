"""SQLite calls made on the event loop's own thread, for SQLAlchemy's aiosqlite dialect.

aiosqlite runs every call in a thread of its own and hands the result back to the event
loop: SQLAlchemy's adapter makes four such round trips per statement (cursor, execute,
fetch, close). A bot tap runs about six short statements on a database that lives in the
page cache, each taking microseconds, and the round trips cost far more than the work:
benchmarks/bot.py measured them as most of the time a tap holds the connection.

This module gives SQLAlchemy (through create_async_engine's documented `async_creator`)
a connection with aiosqlite's interface whose calls run at once, on the calling thread.
Only waiting is different: SQLite's own busy handler would sleep in the event loop while
another process (a `firevoice` command) holds the write lock, so the busy timeout is off
and a statement that finds the database locked is tried again after an asyncio sleep,
letting the bot's other work (replies, polling) go on meanwhile.

A statement that fails with SQLITE_BUSY has changed nothing, so trying it again is safe.

The price: while a statement runs, the bot does nothing else. A tap's statements take
microseconds; the longest the bot runs are the daily housekeeping's deletions (a fraction
of a second on a large service), and a WAL checkpoint now and then. A deployment large
enough for that to matter should use PostgreSQL (README).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# How long a statement waits for another process's write to finish before giving up, as
# SQLite's busy_timeout would, and the pauses between tries.
BUSY_TIMEOUT_S = 5.0
BUSY_PAUSES_S = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
# SQLITE_BUSY and SQLITE_BUSY_RECOVERY: another connection holds a lock for now. Not
# SQLITE_BUSY_SNAPSHOT (517), which waiting does not cure.
RETRYABLE = {5, 261}


async def _retrying(call: Any, *args: Any) -> Any:
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    tries = 0
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", None) not in RETRYABLE:
                raise
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(BUSY_PAUSES_S[min(tries, len(BUSY_PAUSES_S) - 1)])
            tries += 1


class InlineCursor:
    """An aiosqlite-like cursor over a sqlite3 cursor."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        await _retrying(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        # A list, so that a retry runs over the same rows again.
        await _retrying(self._cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> Sequence[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """An aiosqlite-like connection over a sqlite3 connection used by one thread."""

    def __init__(self, connection: sqlite3.Connection):
        self._conn = connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        return await (await self.cursor()).execute(sql, parameters)

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def commit(self) -> None:
        await _retrying(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate)."""
        self._conn.close()


def creator(path: Path) -> Any:
    """An `async_creator` for create_async_engine that opens the SQLite file at path.

    The connection does not start transactions by itself (isolation_level None): the
    engine's BEGIN (storage/db.py) does.
    """

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA busy_timeout=0")
        return InlineConnection(connection)

    return connect
