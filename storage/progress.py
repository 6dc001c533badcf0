"""Progress counts during an open wave (surveys/progress.py has the rules).

`released` counts the responses already released in batches, by pool; it never looks at
pending answers, imports or anything else, so a count moves only when a whole batch is
released. `record` writes what a view showed, in the view's own transaction, and `floors`
gives the wave's audit the highest count each pool showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ProgressShown, Response, Wave, WaveOrgUnit
from storage.uow import UnitOfWork, wrote
from surveys.progress import ProgressRow, ProgressUnit, Tree, pool_of, rows, shown_pools

RECORD = text(
    "INSERT INTO progress_shown (wave_id, pool, count, first_shown_on) "
    "VALUES (:wave_id, :pool, :count, :day) "
    "ON CONFLICT (wave_id, pool, count) DO NOTHING"
)


def units_of(org: list[WaveOrgUnit]) -> list[ProgressUnit]:
    """The wave's organisation as it opened. An ancestor outside the audience keeps its
    place (a role there still sees the units below it) but has no rate: its headcount
    includes people who were not asked."""
    return [
        ProgressUnit(u.code, u.name, u.kind, u.parent_code, u.headcount if u.in_audience else None)
        for u in org
    ]


async def released(uow: UnitOfWork, wave_id: int, org: list[WaveOrgUnit]) -> dict[str, int]:
    """Responses released so far in batches, by pool (chat responses only: imports and
    answers still waiting for their batch are not counted)."""
    query = (
        select(Response.unit_id, func.count())
        .where(Response.wave_id == wave_id, Response.batch_id.is_not(None))
        .group_by(Response.unit_id)
    )
    unit = {u.unit_id: u for u in org}
    out: dict[str, int] = {}
    for unit_id, n in (await uow.session.execute(query)).all():
        found = unit.get(unit_id)
        if found is None:
            continue
        pool = pool_of(found.code, found.kind, found.parent_code)
        out[pool] = out.get(pool, 0) + int(n)
    return out


async def record(uow: UnitOfWork, wave_id: int, shown: Mapping[str, int], today: date) -> None:
    """Write what a view disclosed (pool -> released count), once per distinct count."""
    if not shown:
        return
    await uow.session.execute(
        RECORD,
        [{"wave_id": wave_id, "pool": p, "count": n, "day": today} for p, n in shown.items()],
    )
    wrote(uow.session)


async def view(
    uow: UnitOfWork, wave: Wave, scope: str, today: date, *, role_unit: str
) -> tuple[Tree, list[ProgressRow]] | None:
    """What /progress shows for `scope` (None: not `role_unit` or a unit below it in the
    wave's organisation), with every pool count it discloses recorded for the wave's audit
    in the same transaction."""
    org = await uow.waves.org(wave.id)
    tree = Tree(units_of(org))
    if scope not in tree.subtree(role_unit):
        return None
    counts = await released(uow, wave.id, org)
    await record(uow, wave.id, shown_pools(tree, counts, scope), today)
    return tree, rows(tree, counts, scope, wave.k_unit)


async def floors(engine: AsyncEngine, wave_id: int) -> dict[str, int]:
    """The highest released count each pool showed during the wave."""
    query = (
        select(ProgressShown.pool, func.max(ProgressShown.count))
        .where(ProgressShown.wave_id == wave_id)
        .group_by(ProgressShown.pool)
    )
    async with engine.connect() as conn:
        return {str(pool): int(n) for pool, n in (await conn.execute(query)).all()}


__all__ = ["floors", "record", "released", "units_of", "view"]
