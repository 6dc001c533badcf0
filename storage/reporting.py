"""Queries that feed the reports: one row per response, aggregated in the database.

Answers are stored one row per answer; reports want one row per response with a column
per question. The pivot is done by the database (GROUP BY response) and streamed in
chunks, so even a million responses never sit in Python as row objects all at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Wave, WaveOrgUnit
from surveys.equality import CHARACTERISTICS
from surveys.model import QuestionType, Survey

CHUNK = 50_000
LARGE_WAVE = 50_000  # responses; see response_rows


@dataclass(frozen=True)
class PivotColumn:
    name: str
    question: str
    field: str  # option | number


@dataclass(frozen=True)
class Rows:
    """Which of a wave's responses a query reads: by default those its figures count now.

    A correction also reads, apart: the responses withdrawn at one earlier version
    (`withdrawn_in`), the import it withdraws (`only_import`), or everything counted now
    but that import (`without_import`).
    """

    withdrawn_in: int | None = None
    only_import: str | None = None
    without_import: str | None = None

    def where(self, alias: str) -> tuple[str, dict[str, Any]]:
        """An SQL condition on the responses table (as `alias`), to AND on, and its values."""
        if self.withdrawn_in is not None:
            return f" AND {alias}.withdrawn_in = :withdrawn_in", {"withdrawn_in": self.withdrawn_in}
        clause, params = f" AND {alias}.withdrawn_in IS NULL", {}
        if self.only_import is not None:
            clause += f" AND {alias}.import_id = :only_import"
            params["only_import"] = self.only_import
        if self.without_import is not None:
            clause += f" AND ({alias}.import_id IS NULL OR {alias}.import_id <> :without_import)"
            params["without_import"] = self.without_import
        return clause, params


COUNTED = Rows()


def pivot_columns(survey: Survey) -> list[PivotColumn]:
    """Columns of the per-response pivot for questions with one value per response."""
    columns = []
    for i, q in enumerate(survey.questions):
        if q.type in (QuestionType.FREE_TEXT, QuestionType.MULTIPLE_CHOICE):
            continue
        columns.append(PivotColumn(f"o{i}", q.key, "option"))
        if q.type == QuestionType.SCALE_0_10:
            columns.append(PivotColumn(f"n{i}", q.key, "number"))
    return columns


async def response_rows(
    engine: AsyncEngine, wave_id: int, survey: Survey, chunk: int = CHUNK, rows: Rows = COUNTED
) -> AsyncIterator[tuple[list[str], Sequence[Sequence[Any]]]]:
    """Yield (column names, rows) chunks: unit code, characteristics, one column per question."""
    columns = pivot_columns(survey)
    params: dict[str, Any] = {"wave_id": wave_id}
    inner, chosen = rows.where("w")
    outer, _ = rows.where("r")
    params.update(chosen)
    selects = []
    for i, column in enumerate(columns):
        params[f"k{i}"] = column.question
        selects.append(
            f"MAX(CASE WHEN a.question_key = :k{i} THEN a.{column.field} END) AS {column.name}"
        )
    characteristic_columns = ", ".join(f"r.{c}" for c in CHARACTERISTICS)
    pivot = (", " + ", ".join(selects)) if selects else ""
    pivoted = "".join(f", p.{c.name}" for c in columns)
    postgres = engine.dialect.name == "postgresql"
    # Only column names from this code are formatted in; question keys are bound parameters.
    if postgres:
        # Pivot the narrow answer rows first, then join the snapshot: sorting or hashing
        # answer rows that carry twelve snapshot columns each would spill to disk.
        sql = (
            f"SELECT u.code AS unit, {characteristic_columns}{pivoted} "
            "FROM responses r JOIN units u ON u.id = r.unit_id "
            f"LEFT JOIN (SELECT a.response_id{pivot} "
            "FROM answers a JOIN responses w ON w.id = a.response_id "
            f"WHERE w.wave_id = :wave_id{inner} GROUP BY a.response_id) p "
            f"ON p.response_id = r.id WHERE r.wave_id = :wave_id{outer}"
        )
    else:
        # Grouping by the response's key alone lets SQLite stream the groups in key order
        # (no temporary B-tree); the unit code is joined on afterwards.
        sql = (
            f"SELECT u.code AS unit, {', '.join(f'p.{c}' for c in CHARACTERISTICS)}{pivoted} "
            f"FROM (SELECT r.unit_id, {characteristic_columns}{pivot} "
            "FROM responses r LEFT JOIN answers a ON a.response_id = r.id "
            f"WHERE r.wave_id = :wave_id{outer} GROUP BY r.id) p "
            "JOIN units u ON u.id = p.unit_id"
        )
    names = ["unit", *CHARACTERISTICS, *(c.name for c in columns)]
    async with engine.connect() as conn:
        if postgres:
            size = await conn.scalar(
                text("SELECT count(*) FROM responses WHERE wave_id = :wave_id"), params
            )
            if (size or 0) >= LARGE_WAVE:
                # For a large wave one pass over the answers with a hash join is about twice
                # as fast as a million index lookups, which the planner (costing for disk
                # reads) prefers. Both settings last for this transaction only.
                await conn.execute(text("SET LOCAL enable_nestloop = off"))
                await conn.execute(text("SET LOCAL work_mem = '64MB'"))
        result = await conn.stream(text(sql), params)
        async for partition in result.partitions(chunk):
            yield names, partition


async def long_answers(
    engine: AsyncEngine,
    wave_id: int,
    question_keys: Sequence[str],
    field: str,
    rows: Rows = COUNTED,
) -> list[tuple[Any, ...]]:
    """Multiple-choice options or free text, with the unit and snapshot of their response."""
    if not question_keys:
        return []
    if field not in ("option", "text"):
        raise ValueError(field)
    characteristic_columns = ", ".join(f"r.{c}" for c in CHARACTERISTICS)
    chosen, params = rows.where("r")
    sql = text(
        f"SELECT r.id, u.code, {characteristic_columns}, a.question_key, a.{field} "
        "FROM answers a JOIN responses r ON r.id = a.response_id "
        "JOIN units u ON u.id = r.unit_id "
        f"WHERE r.wave_id = :wave_id{chosen} AND a.question_key IN :keys"
    ).bindparams(bindparam("keys", expanding=True))
    async with engine.connect() as conn:
        result = await conn.execute(
            sql, {"wave_id": wave_id, "keys": list(question_keys), **params}
        )
        return [tuple(row) for row in result.all()]


async def wave_org(
    engine: AsyncEngine, wave_id: int
) -> list[tuple[str, str, str, str | None, int | None]]:
    """(code, name, kind, parent code, headcount) of the organisation frozen when the wave
    opened: later edits to the tree change nothing of a wave's results."""
    query = (
        select(
            WaveOrgUnit.code,
            WaveOrgUnit.name,
            WaveOrgUnit.kind,
            WaveOrgUnit.parent_code,
            WaveOrgUnit.headcount,
        )
        .where(WaveOrgUnit.wave_id == wave_id)
        .order_by(WaveOrgUnit.code)
    )
    async with engine.connect() as conn:
        return [tuple(row) for row in (await conn.execute(query)).all()]


async def waves_of(engine: AsyncEngine, survey_key: str) -> list[Wave]:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    async with async_sessionmaker(engine)() as session:
        query = select(Wave).where(Wave.survey_key == survey_key).order_by(Wave.opens_on, Wave.id)
        return list((await session.scalars(query)).all())
