"""Shared fixtures: bundled surveys, a small fire service, and databases to run against."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import migrate
from storage.batches import Batching
from storage.db import make_engine, make_sessionmaker
from surveys.loader import SurveyCatalog
from surveys.model import Survey
from surveys.sealing import pending_key

SECRET = b"s" * 48
# Batches of 5 (the bundled surveys' unit threshold) for tests that submit chat responses.
BATCHING = Batching(pending_key(SECRET), 5)

ORG_CSV = """code,name,kind,parent_code,headcount
NFRS,Northshire Fire and Rescue Service,service,,620
N-AREA,North Area,area,NFRS,300
S-AREA,South Area,area,NFRS,280
STN01,Ashford,station,N-AREA,60
STN01-RED,Ashford Red Watch,watch,STN01,15
STN01-WHITE,Ashford White Watch,watch,STN01,15
STN02,Brookfield (on-call),station,S-AREA,12
CTRL,Fire Control,department,NFRS,40
"""


@pytest.fixture(scope="session")
def catalog() -> SurveyCatalog:
    return SurveyCatalog.load()


@pytest.fixture
def staff_pulse(catalog: SurveyCatalog) -> Survey:
    return catalog.get("staff_pulse")


@pytest.fixture
def monitoring(catalog: SurveyCatalog) -> Survey:
    return catalog.get("equality_monitoring")


def _postgres_url() -> str | None:
    url = os.environ.get("FIREVOICE_TEST_DATABASE_URL")
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError(
            "CI=true but FIREVOICE_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI"
        )
    return url


async def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            await conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await engine.dispose()


def _backends() -> list[pytest.param]:  # type: ignore[valid-type]
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("FIREVOICE_TEST_DATABASE_URL") or os.environ.get("CI") == "true":
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    return params


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite always, PostgreSQL when configured (always in CI)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    else:
        pg = _postgres_url()
        assert pg is not None
        url = pg
        asyncio.run(_reset_postgres(url))
    migrate.upgrade(url)
    yield url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(database_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()
