"""Schedules open each period's wave once, on time or late after downtime, and never two
(storage/schedules.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import schedules, services
from storage.models import ScheduledWave, Wave
from surveys.cadence import Due
from surveys.loader import SurveyCatalog
from surveys.model import Survey
from tests.conftest import BATCHING, ORG_CSV

Sessions = async_sessionmaker[AsyncSession]


async def quarterly(sessions: Sessions, catalog: SurveyCatalog, **extra: object) -> int:
    await services.import_org(sessions, ORG_CSV)
    options: dict = dict(
        every="quarter", open_on=1, days=14, label_format="Pulse {quarter} {year}", unit_codes=()
    )
    options.update(extra)
    info = await schedules.add_schedule(
        sessions, catalog.get("staff_pulse"), today=date(2026, 11, 27), **options
    )
    return info.schedule.id


def surveys(catalog: SurveyCatalog) -> Callable[[str], Survey | None]:
    return lambda key: catalog.get(key) if key in catalog else None


async def check(sessions: Sessions, catalog: SurveyCatalog, today: date) -> list[schedules.Opening]:
    return await schedules.open_due_waves(
        sessions, surveys(catalog), monitoring=catalog.get("equality_monitoring"), today=today
    )


async def waves(sessions: Sessions) -> list[Wave]:
    async with sessions() as session:
        return list((await session.scalars(select(Wave).order_by(Wave.id))).all())


async def test_a_quarter_gets_one_wave_on_its_opening_day_and_it_closes_after_its_last(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await quarterly(sessions, catalog, unit_codes=["N-AREA"])
    # Added on 27 November, after this quarter's window: the first wave is January's.
    assert [o.state for o in await check(sessions, catalog, date(2026, 12, 31))] == [Due.BEFORE]
    opened = await check(sessions, catalog, date(2027, 1, 1))
    assert opened[0].state == Due.OPEN and opened[0].wave is not None
    # Checked again and again the same day, and the next: still one wave.
    for day in (date(2027, 1, 1), date(2027, 1, 2)):
        assert [o.state for o in await check(sessions, catalog, day)] == [Due.OPENED]
    [wave] = await waves(sessions)
    assert (wave.label, wave.opens_on, wave.closes_on) == (
        "Pulse Q1 2027",
        date(2027, 1, 1),
        date(2027, 1, 14),
    )
    summaries = await services.list_waves(sessions)
    assert summaries[0].audience == ["N-AREA"]
    closed = await services.close_due_waves(sessions, BATCHING, today=date(2027, 1, 15))
    assert [w.id for w in closed] == [wave.id]
    # The next quarter gets its own.
    await check(sessions, catalog, date(2027, 4, 1))
    assert [w.label for w in await waves(sessions)] == ["Pulse Q1 2027", "Pulse Q2 2027"]


async def test_after_downtime_a_wave_opens_late_but_a_missed_window_is_not_opened(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await quarterly(sessions, catalog)
    late = await check(sessions, catalog, date(2027, 1, 10))  # down from 31 Dec to 10 Jan
    assert late[0].wave is not None and late[0].wave.closes_on == date(2027, 1, 14)
    assert late[0].wave.opens_on == date(2027, 1, 10)
    # Down for the whole of April's window: nothing opens in May for April.
    assert [o.state for o in await check(sessions, catalog, date(2027, 5, 2))] == [Due.MISSED]
    assert len(await waves(sessions)) == 1


async def test_two_processes_checking_at_once_open_one_wave(
    database_url: str, sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await quarterly(sessions, catalog)
    results = await asyncio.gather(*(check(sessions, catalog, date(2027, 1, 1)) for _ in range(4)))
    states = sorted(r[0].state for r in results)
    assert states.count(Due.OPEN) == 1, states
    assert len(await waves(sessions)) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ScheduledWave)) == 1


async def test_a_removed_schedule_opens_nothing_more(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    schedule_id = await quarterly(sessions, catalog)
    await check(sessions, catalog, date(2027, 1, 1))
    removed = await schedules.remove_schedule(sessions, schedule_id, today=date(2027, 2, 1))
    assert removed.next_opens is None and removed.waves == 1
    assert await check(sessions, catalog, date(2027, 4, 1)) == []
    with pytest.raises(services.ServiceError, match="was removed on 2027-02-01"):
        await schedules.remove_schedule(sessions, schedule_id, today=date(2027, 2, 2))
    with pytest.raises(services.ServiceError, match="there is no schedule 99"):
        await schedules.remove_schedule(sessions, 99, today=date(2027, 2, 2))


async def test_a_due_wave_that_cannot_open_says_why_and_opens_nothing(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await quarterly(sessions, catalog)
    gone = await schedules.open_due_waves(
        sessions, lambda key: None, monitoring=None, today=date(2027, 1, 1)
    )
    assert gone[0].wave is None
    assert gone[0].problem == "the survey 'staff_pulse' is no longer in the surveys folder"
    assert await waves(sessions) == []


@pytest.mark.parametrize(
    ("survey", "options", "message"),
    [
        ("equality_monitoring", {}, "does not run in waves"),
        ("staff_pulse", {"every": "fortnight"}, "--every 'fortnight': choose one of month"),
        ("staff_pulse", {"open_on": 31, "every": "month"}, "from 1 to 28"),
        ("staff_pulse", {"unit_codes": ["STN99"]}, "unknown unit code"),
        ("staff_pulse", {"label_format": "{season}"}, "'season' is not a field"),
    ],
)
async def test_a_schedule_that_cannot_work_is_refused_and_nothing_is_stored(
    sessions: Sessions, catalog: SurveyCatalog, survey: str, options: dict, message: str
) -> None:
    await services.import_org(sessions, ORG_CSV)
    chosen: dict = dict(every="quarter", open_on=1, days=14, label_format=None, unit_codes=())
    chosen.update(options)
    definition: Survey = catalog.get(survey)
    with pytest.raises(services.ServiceError, match=message):
        await schedules.add_schedule(sessions, definition, today=date(2026, 11, 27), **chosen)
    assert await schedules.list_schedules(sessions, today=date(2026, 11, 27)) == []
