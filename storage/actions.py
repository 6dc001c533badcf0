"""The improvement register in the database (surveys/actions.py has the rules).

An action belongs to a released wave (it answers that wave's results) and to a unit of
the wave's organisation; its item, if any, is a question of the wave's survey.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from storage.models import Action, Wave
from storage.services import ServiceError, Sessions
from storage.uow import UnitOfWork
from surveys.actions import Fields, Status


@dataclass(frozen=True)
class Listed:
    action: Action
    survey_key: str
    wave_label: str


async def _check_target(uow: UnitOfWork, wave_id: int, unit: str, item: str | None) -> Wave:
    wave = await uow.session.get(Wave, wave_id)
    if wave is None:
        raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
    if await uow.publications.latest(wave_id) is None:
        raise ServiceError(
            f"wave {wave_id}'s results have not been released, so there is nothing to act on yet"
        )
    if await uow.waves.org_unit(wave_id, unit) is None:
        raise ServiceError(f"unit {unit!r} was not in wave {wave_id}'s organisation")
    keys = [q.get("key") for q in (wave.definition or {}).get("questions", [])]
    if item is not None and item not in keys:
        raise ServiceError(f"item {item!r} is not a question of wave {wave_id}'s survey")
    return wave


async def add(sessions: Sessions, wave_id: int, fields: Fields, *, by: str, today: date) -> Action:
    async with UnitOfWork(sessions) as uow:
        await _check_target(uow, wave_id, fields.unit, fields.item)
        row = Action(
            wave_id=wave_id,
            area=fields.area,
            item=fields.item,
            consideration=fields.consideration,
            unit_code=fields.unit,
            lead=fields.lead,
            due=fields.due,
            status=fields.status.value,
            progress=fields.progress,
            created_on=today,
            updated_on=today,
            updated_by=by,
        )
        uow.session.add(row)
        await uow.commit()
        return row


async def update(
    sessions: Sessions,
    action_id: int,
    *,
    by: str,
    today: date,
    units: Collection[str] | None = None,
    status: Status | None = None,
    progress: str | None = None,
    due: date | None = None,
    lead: str | None = None,
) -> tuple[Action, bool]:
    """Change an action (only one whose unit is in `units`, if given); returns the action
    and whether it has just been marked done."""
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(Action, action_id, with_for_update=True)
        if row is None or (units is not None and row.unit_code not in units):
            raise ServiceError(f"no action {action_id} ('firevoice actions list')")
        done_now = status == Status.DONE and row.status != Status.DONE.value
        if status is not None:
            row.status = status.value
        if progress is not None:
            row.progress = progress
        if due is not None:
            row.due = due
        if lead is not None:
            row.lead = lead
        row.updated_on, row.updated_by = today, by
        await uow.commit()
        return row, done_now


async def listed(
    sessions: Sessions,
    *,
    units: Collection[str] | None = None,
    status: Status | None = None,
    wave_id: int | None = None,
) -> list[Listed]:
    """Actions (of these units, with this status, against this wave), newest wave first,
    then by due date."""
    async with UnitOfWork(sessions) as uow:
        query = select(Action, Wave.survey_key, Wave.label).join(Wave, Wave.id == Action.wave_id)
        if wave_id is not None:
            query = query.where(Action.wave_id == wave_id)
        if units is not None:
            query = query.where(Action.unit_code.in_(list(units)))
        if status is not None:
            query = query.where(Action.status == status.value)
        query = query.order_by(Wave.opens_on.desc(), Action.due.is_(None), Action.due, Action.id)
        return [Listed(a, key, label) for a, key, label in (await uow.session.execute(query)).all()]


async def labels(
    sessions: Sessions, actions: Collection[Listed], language: str = "en"
) -> tuple[dict[str, str], dict[str, str]]:
    """Unit names (today's organisation) and item texts (each wave's own survey)."""
    async with UnitOfWork(sessions) as uow:
        units = {u.code: u.name for u in await uow.units.all()}
        texts: dict[str, str] = {}
        for wave_id in {a.action.wave_id for a in actions}:
            wave = await uow.session.get(Wave, wave_id)
            for question in (wave.definition if wave else {}).get("questions", []):
                text = question.get("text", {})
                texts.setdefault(
                    question.get("key", ""),
                    text.get(language) or text.get("en", "")
                    if isinstance(text, dict)
                    else str(text),
                )
        return units, texts
