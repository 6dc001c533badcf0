"""Benchmark: build the CSV report for 10k, 100k and 1M synthetic responses.

    .venv/bin/python benchmarks/report.py                      # SQLite and PostgreSQL, all sizes
    .venv/bin/python benchmarks/report.py --sizes 10000 --backends sqlite

For every backend and size it loads a fresh database with the synthetic service and one
wave of the bundled staff pulse (12 questions) answered by N synthetic people, then runs
the real command a user runs,

    firevoice report --survey staff_pulse --format csv --out ...

in its own process and prints the wall time and that process's peak memory (maximum
resident set size, from the kernel). Loading is set-up, not part of the figure, and uses
the database drivers' bulk paths so a million responses load in minutes.

Target on the 2-core reference machine: 1M responses in under 60 s and under 2 GiB.
Not run in CI: it needs minutes and gigabytes the test suite should not take.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import synthetic  # noqa: E402
from storage import migrate, services  # noqa: E402
from storage.batches import Batching  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from surveys.equality import CHARACTERISTICS  # noqa: E402
from surveys.loader import SurveyCatalog  # noqa: E402
from surveys.model import QuestionType, Survey  # noqa: E402

CHUNK = 100_000
OPENED = date(2026, 10, 1)
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
RESPONSE_COLUMNS = ["id", "wave_id", "unit_id", "submitted_on", "channel", *CHARACTERISTICS]
LAUNCHER = (
    "import os, sys\n"
    "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)
ANSWER_COLUMNS = ["response_id", "question_key", "position", "option", "number", "text"]


def answer_frame(survey: Survey, generated: synthetic.Generated, ids: np.ndarray) -> pd.DataFrame:
    """Long answer rows (one per answer, one per chosen option) built column-wise."""
    parts = []
    for question in survey.questions:
        values = pd.Series(generated.answers[question.key], dtype=object)
        given = values.notna().to_numpy()
        if not given.any():
            continue
        part = pd.DataFrame({"response_id": ids[given], "value": values[given].to_numpy()})
        part["question_key"] = question.key
        part["position"] = 0
        part["option"] = None
        part["number"] = None
        part["text"] = None
        if question.type == QuestionType.MULTIPLE_CHOICE:
            part["value"] = part["value"].str.split(";")
            part = part.explode("value", ignore_index=True)
            part["position"] = part.groupby("response_id").cumcount()
            part["option"] = part["value"]
        elif question.type == QuestionType.SCALE_0_10:
            part["number"] = part["value"].astype(int)
        elif question.type == QuestionType.FREE_TEXT:
            part["text"] = part["value"]
        else:
            part["option"] = part["value"]
        parts.append(part[ANSWER_COLUMNS])
    frame = pd.concat(parts, ignore_index=True).astype(object)
    return frame.where(frame.notna(), None)


def response_frame(
    generated: synthetic.Generated, ids: np.ndarray, wave_id: int, unit_ids: dict[str, Any]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": ids,
            "wave_id": wave_id,
            "unit_id": [unit_ids[u] for u in generated.units],
            "submitted_on": OPENED,
            "channel": "import",
            **{key: generated.snapshot[key] for key in CHARACTERISTICS},
        }
    ).astype(object)
    return frame.where(frame.notna(), None)[RESPONSE_COLUMNS]


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return list(frame.itertuples(index=False, name=None))


async def load(url: str, n: int, survey: Survey) -> None:
    """Organisation, one wave of the staff pulse, n synthetic responses (schema exists)."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        await services.import_org(sessions, synthetic.organisation_csv())
        wave = await services.open_wave(sessions, survey, today=OPENED, label="Benchmark")
        async with engine.connect() as conn:
            found = await conn.execute(text("SELECT code, id FROM units"))
            units = {code: unit_id for code, unit_id in found.all()}
        postgres = url.startswith("postgresql")
        if not postgres:
            units = {code: uuid.UUID(str(unit_id)).hex for code, unit_id in units.items()}
        for start in range(0, n, CHUNK):
            size = min(CHUNK, n - start)
            generated = synthetic.generate(survey, size, seed=start + 1)
            if postgres:
                ids = np.array([uuid.uuid4() for _ in range(size)], dtype=object)
            else:
                ids = np.array([uuid.uuid4().hex for _ in range(size)], dtype=object)
            responses = response_frame(generated, ids, wave.id, units)
            answers = answer_frame(survey, generated, ids)
            async with engine.begin() as conn:
                raw = await conn.get_raw_connection()
                driver = raw.driver_connection
                if postgres:
                    await driver.copy_records_to_table(  # type: ignore[union-attr]
                        "responses", records=rows(responses), columns=RESPONSE_COLUMNS
                    )
                    await driver.copy_records_to_table(  # type: ignore[union-attr]
                        "answers", records=rows(answers), columns=ANSWER_COLUMNS
                    )
                else:
                    for table, frame in (("responses", responses), ("answers", answers)):
                        names = ", ".join(frame.columns)
                        marks = ", ".join("?" for _ in frame.columns)
                        await driver.executemany(  # type: ignore[union-attr]
                            f"INSERT INTO {table} ({names}) VALUES ({marks})", rows(frame)
                        )
        # Reports are only made of closed waves. Nothing is waiting for a batch (the rows
        # went straight in), so the batching key is never used.
        nothing_pending = Batching(secrets.token_bytes(32), 10)
        await services.close_wave(sessions, nothing_pending, wave.id, today=OPENED)
        if postgres:
            # Committed, so the planner statistics are kept (as autovacuum would do).
            async with engine.begin() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def fresh_postgres_database(admin_url: str, name: str) -> str:
    await drop_postgres_database(admin_url, name)
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def run_report(url: str, workdir: Path) -> tuple[float, float, int]:
    """Run `firevoice report` in its own process: (seconds, peak MiB, CSV rows)."""
    out = workdir / "report.csv"
    env = {
        **os.environ,
        "FIREVOICE_DATABASE_URL": url,
        "FIREVOICE_SECRET_KEY_FILE": str(workdir / "bench.secret"),
    }
    command = [
        str(Path(sys.executable).with_name("firevoice")),
        "report",
        "--survey",
        "staff_pulse",
        "--format",
        "csv",
        "--out",
        str(out),
    ]
    # A small launcher starts the report and reads its peak memory from wait4(): a child
    # forked straight from this (large) process would inherit this process's high-water mark.
    started = time.perf_counter()
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    code, peak_kib = (int(v) for v in launched.stdout.split()[-2:])
    if code != 0:
        raise SystemExit(f"firevoice report failed:\n{launched.stderr}")
    with out.open(newline="") as handle:
        count = sum(1 for _ in csv.DictReader(handle))
    return seconds, peak_kib / 1024, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FIREVOICE_BENCH_POSTGRES_URL", DEFAULT_PG),
        help="a PostgreSQL server URL; the benchmark creates and drops its own databases",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"--backends: unknown {', '.join(sorted(unknown))} (sqlite, postgresql)")
    survey = SurveyCatalog.load(None).get("staff_pulse")
    print(f"staff_pulse: {len(survey.questions)} questions; cpus: {os.cpu_count()}")
    header = ("backend", "responses", "load s", "report s", "peak MiB", "rows")
    print("{:<11}{:>10}{:>9}{:>10}{:>10}{:>8}".format(*header))
    for backend in backends:
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix="firevoice-bench-") as folder:
                workdir = Path(folder)
                if backend == "sqlite":
                    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
                    database = None
                else:
                    database = f"firevoice_bench_{n}"
                    url = asyncio.run(fresh_postgres_database(args.postgres_url, database))
                started = time.perf_counter()
                migrate.upgrade(url)
                asyncio.run(load(url, n, survey))
                loaded = time.perf_counter() - started
                seconds, peak, count = run_report(url, workdir)
                print(
                    f"{backend:<11}{n:>10}{loaded:>9.1f}{seconds:>10.1f}{peak:>10.0f}{count:>8}",
                    flush=True,
                )
                if database is not None:
                    asyncio.run(drop_postgres_database(args.postgres_url, database))


async def drop_postgres_database(admin_url: str, name: str) -> None:
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"')


async def _admin(admin_url: str, statement: str) -> None:
    """One statement outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    main()
