"""Storage and secrets hygiene: what logs and files on disk may hold."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.runner import QUIET_LOGGERS, configure_logging
from storage import migrate, services
from storage.db import make_engine, make_sessionmaker
from surveys.equality import empty_snapshot
from surveys.loader import SurveyCatalog
from tests.conftest import BATCHING, ORG_CSV

PSEUDONYM = "p" * 20 + "SECRETPSEUDONYM"
COMMENT = "the watch manager on Red Watch shouted at me"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")


@pytest.fixture
def debug_logging() -> Iterator[Collect]:
    root = logging.getLogger()
    saved = root.level, {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    handler = Collect()
    root.addHandler(handler)
    configure_logging("DEBUG")
    yield handler
    root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


async def test_debug_logging_never_prints_sql_parameters(
    debug_logging: Collect, database_url: str, catalog: SurveyCatalog
) -> None:
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    try:
        await services.import_org(sessions, ORG_CSV)
        wave = await services.open_wave(sessions, catalog.get("staff_pulse"), today=date.today())
        answers = {
            "values_lived": "agree",
            "treated_fairly": "agree",
            "dignity_respect": "agree",
            "confident_to_report": "agree",
            "experienced_bhd": "no",
            "leaders_role_model": "agree",
            "progression_fair": "agree",
            "wellbeing_support": "agree",
            "change_explained": "agree",
            "enps": 9,
            "comment": COMMENT,
        }
        outcome = await services.submit_response(
            sessions,
            BATCHING,
            wave_id=wave.id,
            unit_code="STN01-RED",
            pseudonym=PSEUDONYM,
            answers=answers,
            snapshot=empty_snapshot(),
            today=date.today(),
        )
        assert outcome == services.SubmitOutcome.STORED
    finally:
        await engine.dispose()
    assert logging.getLogger().isEnabledFor(logging.DEBUG)  # the level really is DEBUG
    logged = "\n".join(debug_logging.lines)
    assert PSEUDONYM not in logged
    assert COMMENT not in logged
    assert "STN01-RED" not in logged


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "firevoice.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
