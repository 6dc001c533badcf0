"""End-to-end fixtures: a fake Bot API server and the real bot, started as users start it."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from analysis import synthetic
from analysis.release import release
from storage import batches, bulk, migrate, services
from storage.batches import Batching
from storage.db import make_engine, make_sessionmaker
from surveys.links import LinkTarget, make_payload
from surveys.loader import SurveyCatalog
from surveys.sealing import pending_key
from tests.conftest import ORG_CSV
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.integration.test_cli import Cli

FIREVOICE = str(Path(sys.executable).parent / "firevoice")


# `firevoice` with its clock set to FIREVOICE_TEST_CLOCK (ISO date and time) by
# time-machine, ticking on from there: the bot as it would run on another day.
AT_CLOCK = (
    "import datetime, os, sys, time_machine; "
    "time_machine.travel(datetime.datetime.fromisoformat(os.environ['FIREVOICE_TEST_CLOCK']), "
    "tick=True).start(); "
    "from bot.cli import main; sys.exit(main())"
)


class BotProcess:
    """`firevoice run` in a subprocess, pointed at the fake Bot API."""

    def __init__(self, telegram: FakeTelegram, api_url: str, workdir: Path, env: dict[str, str]):
        self.telegram = telegram
        self.api_url = api_url
        self.workdir = workdir
        self.env = env
        self.process: asyncio.subprocess.Process | None = None
        self.log = workdir / "bot.log"
        # When set (a timezone-aware datetime), the bot starts with its clock at that moment.
        self.clock: datetime | None = None

    async def start(self, *args: str) -> None:
        polls_before = len(self.telegram.calls_of("getUpdates"))
        handle = self.log.open("ab")
        command = [FIREVOICE]
        env = dict(self.env)
        if self.clock is not None:
            command = [sys.executable, "-c", AT_CLOCK]
            env["FIREVOICE_TEST_CLOCK"] = self.clock.isoformat()
        self.process = await asyncio.create_subprocess_exec(
            *command,
            "run",
            *args,
            cwd=self.workdir,
            env=env,
            stdout=handle,
            stderr=handle,
        )
        handle.close()
        if not args:
            await self.telegram.wait_until(
                lambda: (
                    len(self.telegram.calls_of("getUpdates")) > polls_before
                    or (self.process is not None and self.process.returncode is not None)
                ),
                timeout=60,
            )
            if self.process.returncode is not None:
                raise AssertionError(f"bot exited: {self.log.read_text()}")

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Service:
    """The fire service's side: organisation, open waves, signed links, the database."""

    def __init__(self, database_url: str, secret: bytes):
        self.database_url = database_url
        self.secret = secret
        self.catalog = SurveyCatalog.load()
        self.engine = make_engine(database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.batching = Batching(pending_key(secret), 10)

    async def open(self, survey_key: str, units: tuple[str, ...] = ()) -> int:
        wave = await services.open_wave(
            self.sessions, self.catalog.get(survey_key), today=date.today(), unit_codes=units
        )
        return wave.id

    def link(self, survey_key: str, unit: str | None = None) -> str:
        return make_payload(self.secret, LinkTarget(survey_key, unit))

    async def release_pending(self) -> None:
        """Move every submitted response into the results tables now, as closing the waves
        would (storage/batches.py), so a test can look at what one person's answers became."""
        from storage.uow import UnitOfWork

        async with UnitOfWork(self.sessions) as uow:
            for wave in await uow.waves.all():
                await batches.release_remainders(uow.session, self.batching, wave, date.today())
            await uow.commit()

    async def rows(self, sql: str) -> list[tuple]:  # type: ignore[type-arg]
        """Rows of a query, with every submitted response released first."""
        from sqlalchemy import text

        await self.release_pending()
        async with self.engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]

    async def close(self) -> None:
        await self.engine.dispose()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


def _redis_url() -> str | None:
    url = os.environ.get("FIREVOICE_TEST_REDIS_URL")
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but FIREVOICE_TEST_REDIS_URL is not set")
    return url


async def new_service(url: str, workdir: Path) -> Service:
    """A migrated database with the test organisation, and a secret key file in `workdir`."""
    await asyncio.to_thread(migrate.upgrade, url)
    secret = secrets.token_urlsafe(48).encode()
    (workdir / "firevoice.secret").write_bytes(secret + b"\n")
    (workdir / "firevoice.secret").chmod(0o600)
    svc = Service(url, secret)
    await services.import_org(svc.sessions, ORG_CSV)
    return svc


@pytest.fixture(scope="session")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the released service's database and key, made once per test run:
    releasing is the slow part, and the tests that use it only read what it stored."""
    folder = tmp_path_factory.mktemp("released")

    async def make() -> None:
        svc = await make_released_service(folder)
        await svc.close()

    asyncio.run(make())
    return folder


async def released_service(workdir: Path, template: Path) -> Service:
    """A copy of the released service (released_template) in `workdir`."""
    for name in ("firevoice.db", "firevoice.secret"):
        shutil.copyfile(template / name, workdir / name)
    (workdir / "firevoice.secret").chmod(0o600)
    secret = (workdir / "firevoice.secret").read_bytes().strip()
    return Service(f"sqlite+aiosqlite:///{workdir / 'firevoice.db'}", secret)


async def make_released_service(workdir: Path) -> Service:
    """The test service with two closed and released waves of the staff pulse; in the
    second, only 3 people answered for Ashford White Watch, so its figures are hidden."""
    svc = await new_service(f"sqlite+aiosqlite:///{workdir / 'firevoice.db'}", workdir)
    survey = svc.catalog.get("staff_pulse")
    monitoring = svc.catalog.get("equality_monitoring")
    start = date.today() - timedelta(days=120)
    for index, label in enumerate(("Pulse Q2", "Pulse Q3")):
        day = start + timedelta(days=90 * index)
        wave = await services.open_wave(
            svc.sessions, survey, today=day, label=label, monitoring=monitoring
        )
        generated = synthetic.generate(survey, 220, seed=7, wave_index=index, org_csv=ORG_CSV)
        rows = list(synthetic.rows(generated))
        if index == 1:
            white = [r for r in rows if r[0] == "STN01-WHITE"]
            rows = [r for r in rows if r[0] != "STN01-WHITE"] + white[:3]
        await bulk.insert_responses(svc.engine, wave.id, survey, rows, day)
        await services.close_wave(
            svc.sessions, svc.batching, wave.id, today=day + timedelta(days=14)
        )
        await release(svc.sessions, svc.engine, wave.id, monitoring=monitoring, today=date.today())
    return svc


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    svc = await new_service(f"sqlite+aiosqlite:///{tmp_path / 'firevoice.db'}", tmp_path)
    yield svc
    await svc.close()


async def start_webhook(process: BotProcess, port: int, *extra: str) -> None:
    """`firevoice run --webhook` on 127.0.0.1:port, with Telegram told `public_url`."""
    public = extra[0] if extra else "https://firevoice.example.org"
    await process.start(
        "--webhook",
        "--public-url",
        public,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra[1:],
    )


def bot_env(api_url: str, service: Service, workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIREVOICE_")}
    env.update(
        FIREVOICE_BOT_TOKEN=TOKEN,
        FIREVOICE_TELEGRAM_API_URL=api_url,
        FIREVOICE_DATABASE_URL=service.database_url,
        FIREVOICE_SECRET_KEY_FILE=str(workdir / "firevoice.secret"),
        FIREVOICE_LOG_LEVEL="INFO",
        **extra,
    )
    return env


@pytest.fixture
async def bot(
    telegram: FakeTelegram, service: Service, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(telegram, api_url, tmp_path, bot_env(api_url, service, tmp_path))
    await process.start()
    yield process
    await process.stop()


@dataclass
class DashboardBot:
    """The bot with the dashboard on, over a service with two released waves."""

    process: BotProcess
    service: Service
    base: str  # the dashboard's address
    cli: Cli


@pytest.fixture
async def dashboard_bot(
    telegram: FakeTelegram, tmp_path: Path, unused_tcp_port: int, released_template: Path
) -> AsyncIterator[DashboardBot]:
    svc = await released_service(tmp_path, released_template)
    api_url = f"http://127.0.0.1:{telegram.port}"
    base = f"http://127.0.0.1:{unused_tcp_port}"
    env = bot_env(
        api_url,
        svc,
        tmp_path,
        FIREVOICE_DASHBOARD_URL=base,
        FIREVOICE_DASHBOARD_PORT=str(unused_tcp_port),
    )
    process = BotProcess(telegram, api_url, tmp_path, env)
    await process.start()
    yield DashboardBot(process, svc, base, Cli(tmp_path, svc.database_url))
    await process.stop()
    await svc.close()
