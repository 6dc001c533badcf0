"""Progress during an open wave (docs/privacy.md, "Progress during a wave"): counts read only
released batches, every count shown is recorded, and the wave's release audits them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from analysis.release import release
from storage import progress, services
from storage.batches import Batching
from storage.models import ProgressShown
from storage.uow import UnitOfWork
from surveys.loader import SurveyCatalog
from surveys.progress import Tree, rows
from surveys.sealing import pending_key
from tests.conftest import SECRET
from tests.integration.test_batches import TODAY, Sessions, open_pulse, submit


async def view(sessions: Sessions, wave_id: int, scope: str) -> dict[str, int | None]:
    """What /progress (and the dashboard's Progress page) shows for `scope`."""
    async with UnitOfWork(sessions) as uow:
        wave = await uow.waves.get(wave_id)
        assert wave is not None
        shown = await progress.view(uow, wave, scope, TODAY, role_unit="NFRS")
        await uow.commit()
    assert shown is not None
    return {r.code: r.count for r in shown[1]}


async def test_counts_move_in_whole_batches_and_every_count_shown_is_audited(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    batching = Batching(pending_key(SECRET), 10)
    wave = await open_pulse(sessions, catalog)
    for number in range(9):
        await submit(sessions, batching, wave, ("STN01-RED", "STN01-WHITE")[number % 2], number)
    await submit(sessions, batching, wave, "STN02", 100)
    # Ten people have answered, but no batch is out: nothing to show, nothing recorded.
    assert await view(sessions, wave.id, "NFRS") == {
        "NFRS": None,
        "CTRL": None,
        "N-AREA": None,
        "S-AREA": None,
    }
    engine: AsyncEngine = sessions.kw["bind"]
    assert await progress.floors(engine, wave.id) == {}

    await submit(sessions, batching, wave, "STN01-RED", 9)
    assert await view(sessions, wave.id, "N-AREA") == {"N-AREA": 10, "STN01": 10}
    assert await view(sessions, wave.id, "STN01") == {"STN01": 10}  # no watch counts
    assert await view(sessions, wave.id, "STN01-RED") == {"STN01-RED": None}
    async with sessions() as session:
        recorded = await session.scalar(select(func.count()).select_from(ProgressShown))
    assert recorded == 1  # the same count shown three times is one record
    assert await progress.floors(engine, wave.id) == {"STN01": 10}

    # Released at close: the count shown is part of what the audit took as published.
    await services.close_wave(sessions, batching, wave.id, today=TODAY + timedelta(days=1))
    publication, _ = await release(
        sessions, engine, wave.id, monitoring=catalog.get("equality_monitoring"), today=TODAY
    )
    assert publication.progress == {"STN01": 10}
    assert publication.audit.progress_counts == 1


async def test_a_role_above_a_waves_audience_sees_counts_without_rates(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    # A wave for Ashford alone: the area and service are kept as its ancestors, but
    # their headcounts include people who were not asked, so they get no rate.
    batching = Batching(pending_key(SECRET), 10)
    await open_pulse(sessions, catalog)  # imports the organisation
    wave = await services.open_wave(
        sessions, catalog.get("staff_pulse"), today=TODAY, unit_codes=["STN01"]
    )
    for number in range(10):
        await submit(sessions, batching, wave, "STN01-WHITE", number)
    async with UnitOfWork(sessions) as uow:
        org = await uow.waves.org(wave.id)
        tree = Tree(progress.units_of(org))
        released = await progress.released(uow, wave.id, org)
    shown = {r.code: (r.count, r.rate) for r in rows(tree, released, "NFRS", k_unit=5)}
    assert shown == {"NFRS": (10, None), "N-AREA": (10, None)}
    assert rows(tree, released, "STN01", k_unit=5)[0].rate == round(100 * 10 / 60, 1)
