"""Async engine and session factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import inline_sqlite


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked, and would let a response point nowhere.
    cursor.execute("PRAGMA foreign_keys=ON")
    # Overwrite deleted content (erased profiles, unfinished answers) instead of leaving
    # it in free pages of the file.
    cursor.execute("PRAGMA secure_delete=ON")
    # Write-ahead log: readers do not wait for the writer, and a commit is one append. With
    # synchronous=NORMAL a commit survives the process crashing (kill -9); a power cut or
    # an operating-system crash can lose the last commits before a checkpoint (README).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy's BEGIN (below) decide when transactions start, not the driver.
    if dbapi_connection.isolation_level is not None:
        dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock when a transaction begins. A transaction that read first and
    # wrote later would fail at once (not wait) if another connection wrote in between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists already.

    SQLite gives its journal and WAL files the permissions of the database file, so an
    owner-only database keeps those owner-only too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Build the async engine for a database URL (SQLite or PostgreSQL)."""
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
    if url.startswith("sqlite") and path is not None:
        # SQLite has one writer at a time. Queueing this process's transactions for one
        # connection (an asyncio wait) is far quicker than letting them collide on the
        # file lock, where SQLite's busy handler sleeps in steps of up to 100 ms.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 60)
        # Statements run on the event loop's thread, not in aiosqlite's (inline_sqlite.py);
        # waiting for another process's write lock is an asyncio sleep.
        kwargs.setdefault("async_creator", inline_sqlite.creator(path))
    elif not url.startswith("sqlite"):
        # A fixed set of connections kept open, and no overflow: a connection opened for one
        # update and closed after it cost more than the update itself (benchmarks/bot.py:
        # 165 answers/s with 20 connections and 20 overflow, about 265 with 10 and none).
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 0)
    # No ping before each use of a pooled connection (a round trip per bot update): a
    # connection the server dropped fails that one update's transaction, which is then
    # delivered again (bot/state.py), and the pool replaces the connection.
    kwargs.setdefault("pool_recycle", 1800)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
