"""Schedules: surveys that open by themselves, once per period (surveys/cadence.py).

`firevoice schedule add/list/remove` manage them; the bot's housekeeping calls
`open_due_waves` every few minutes. A period's wave is opened at most once: the
`scheduled_waves` row that names it is written in the wave's own transaction, and its
primary key (schedule, period) refuses a second, so two workers, or a bot and a command,
trying at the same moment open one wave between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.models import Schedule, ScheduledWave, Wave
from storage.services import (
    ServiceError,
    Sessions,
    audience_of,
    check_wave_survey,
    open_wave_in,
)
from storage.uow import UnitOfWork
from surveys.cadence import (
    DEFAULT_LABEL,
    Cadence,
    CadenceError,
    Due,
    Every,
    Period,
    due,
    next_opening,
)
from surveys.model import Survey


def cadence_of(schedule: Schedule) -> Cadence:
    return Cadence(Every(schedule.every), schedule.open_on, schedule.days, schedule.label_format)


@dataclass(frozen=True)
class ScheduleInfo:
    schedule: Schedule
    cadence: Cadence
    waves: int  # opened so far
    next_opens: date | None  # None once removed
    next_label: str | None


async def _info(uow: UnitOfWork, schedule: Schedule, today: date) -> ScheduleInfo:
    cadence = cadence_of(schedule)
    opened = await _opened_periods(uow, schedule.id)
    if schedule.removed_on is not None:
        return ScheduleInfo(schedule, cadence, len(opened), None, None)
    day, period = next_opening(cadence, today, opened, schedule.created_on)
    return ScheduleInfo(
        schedule, cadence, len(opened), day, cadence.label(schedule.survey_key, period)
    )


async def _opened_periods(uow: UnitOfWork, schedule_id: int) -> set[str]:
    query = select(ScheduledWave.period).where(ScheduledWave.schedule_id == schedule_id)
    return set((await uow.session.scalars(query)).all())


async def add_schedule(
    sessions: Sessions,
    survey: Survey,
    *,
    every: str,
    open_on: int,
    days: int,
    label_format: str | None,
    unit_codes: Sequence[str],
    today: date,
) -> ScheduleInfo:
    """Add a schedule after checking it can work: the survey runs in waves, the cadence is
    possible, the label's fields exist and the audience's units are known."""
    check_wave_survey(survey)
    try:
        period = Every(every)
    except ValueError:
        choices = ", ".join(e.value for e in Every)
        raise ServiceError(f"--every {every!r}: choose one of {choices}") from None
    try:
        label = label_format if label_format is not None else DEFAULT_LABEL
        cadence = Cadence(period, open_on, days, label)
    except CadenceError as error:
        raise ServiceError(str(error)) from None
    async with UnitOfWork(sessions) as uow:
        await audience_of(uow, unit_codes)  # the codes exist
        schedule = Schedule(
            survey_key=survey.key,
            every=cadence.every.value,
            open_on=cadence.open_on,
            days=cadence.days,
            label_format=cadence.label_format,
            unit_codes=list(unit_codes),
            created_on=today,
        )
        uow.session.add(schedule)
        await uow.session.flush()
        info = await _info(uow, schedule, today)
        await uow.commit()
        return info


async def list_schedules(sessions: Sessions, *, today: date) -> list[ScheduleInfo]:
    async with UnitOfWork(sessions) as uow:
        schedules = (await uow.session.scalars(select(Schedule).order_by(Schedule.id))).all()
        return [await _info(uow, s, today) for s in schedules]


async def remove_schedule(sessions: Sessions, schedule_id: int, *, today: date) -> ScheduleInfo:
    """Stop a schedule opening waves. Waves it opened stay as they are (an open one closes
    on its date); the schedule stays on record, since its waves name it."""
    async with UnitOfWork(sessions) as uow:
        schedule = await uow.session.get(Schedule, schedule_id, with_for_update=True)
        if schedule is None:
            raise ServiceError(
                f"there is no schedule {schedule_id} ('firevoice schedule list' shows them)"
            )
        if schedule.removed_on is not None:
            raise ServiceError(f"schedule {schedule_id} was removed on {schedule.removed_on}")
        schedule.removed_on = today
        info = await _info(uow, schedule, today)
        await uow.commit()
        return info


@dataclass(frozen=True)
class Opening:
    """What a schedule did on one check."""

    schedule_id: int
    period: Period
    state: Due
    wave: Wave | None = None  # the wave opened now
    problem: str | None = None  # why a due wave could not be opened


async def open_due_waves(
    sessions: Sessions,
    survey_of: Callable[[str], Survey | None],
    *,
    monitoring: Survey | None,
    today: date,
) -> list[Opening]:
    """Open every wave that is due today (UK date), each in its own transaction."""
    async with UnitOfWork(sessions) as uow:
        schedules = (
            await uow.session.scalars(
                select(Schedule).where(Schedule.removed_on.is_(None)).order_by(Schedule.id)
            )
        ).all()
        plans = []
        for schedule in schedules:
            cadence = cadence_of(schedule)
            opened = await _opened_periods(uow, schedule.id)
            state, period = due(cadence, today, opened, schedule.created_on)
            plans.append((schedule, cadence, state, period))
    results = []
    for schedule, cadence, state, period in plans:
        if state != Due.OPEN:
            results.append(Opening(schedule.id, period, state))
            continue
        results.append(
            await _open_one(sessions, survey_of, monitoring, schedule, cadence, period, today)
        )
    return results


async def _open_one(
    sessions: Sessions,
    survey_of: Callable[[str], Survey | None],
    monitoring: Survey | None,
    schedule: Schedule,
    cadence: Cadence,
    period: Period,
    today: date,
) -> Opening:
    survey = survey_of(schedule.survey_key)
    if survey is None:
        problem = f"the survey '{schedule.survey_key}' is no longer in the surveys folder"
        return Opening(schedule.id, period, Due.OPEN, problem=problem)
    try:
        async with UnitOfWork(sessions) as uow:
            wave = await open_wave_in(
                uow,
                survey,
                today=today,
                label=cadence.label(survey.key, period),
                unit_codes=schedule.unit_codes,
                closes_on=cadence.closes(period),
                monitoring=monitoring,
            )
            uow.session.add(
                ScheduledWave(schedule_id=schedule.id, period=period.key, wave_id=wave.id)
            )
            await uow.session.flush()
            await uow.commit()
    except IntegrityError:
        # Another process opened this period's wave first: one wave, as it should be.
        return Opening(schedule.id, period, Due.OPENED)
    except ServiceError as error:
        return Opening(schedule.id, period, Due.OPEN, problem=str(error))
    return Opening(schedule.id, period, Due.OPEN, wave=wave)
