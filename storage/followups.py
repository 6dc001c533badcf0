"""Approved "you said, we did" follow-ups (bot/followups.py writes their texts).

`approve` stores the texts an officer approved, exactly as approved, and queues one
message per contactable person in the audience (storage/outbox.py, `queue_followup`), in
one transaction: a second approval of the same (wave, action) is refused, so nobody hears
the same follow-up twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage import outbox
from storage.models import Followup
from storage.services import ServiceError, Sessions
from storage.uow import UnitOfWork
from surveys.access import ancestors_or_self, subtree

Texts = Mapping[str, Mapping[str, str]]  # unit -> language -> text


async def approved(sessions: Sessions, wave_id: int) -> dict[int, Followup]:
    """The wave's approved follow-ups, by action (0: its results)."""
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.scalars(select(Followup).where(Followup.wave_id == wave_id))
        return {row.action_id: row for row in rows}


async def _audience(
    uow: UnitOfWork, wave_id: int, unit: str
) -> tuple[dict[str, str | None], set[str]]:
    """The wave's organisation (unit -> parent) and its audience at or below `unit`."""
    org = await uow.waves.org(wave_id)
    parents = {u.code: u.parent_code for u in org}
    below = subtree(parents, unit)
    return parents, {u.code for u in org if u.in_audience and u.code in below}


async def reach(
    sessions: Sessions, server_key: bytes, wave_id: int, unit: str
) -> tuple[int, int, int]:
    """Who a follow-up for the audience at or below `unit` would reach now (counts only):
    people who welcome results messages, people to be asked first, people who said no."""
    async with UnitOfWork(sessions) as uow:
        _, audience = await _audience(uow, wave_id, unit)
        return await outbox.followup_reach(uow, server_key, audience)


def nearest(parents: Mapping[str, str | None], texts: Texts) -> dict[str, str]:
    """For every unit, the closest unit at or above it that has a text (a watch whose
    figures are hidden hears its station's)."""
    out: dict[str, str] = {}
    for code in parents:
        found = next((u for u in ancestors_or_self(parents, code) if u in texts), None)
        if found is not None:
            out[code] = found
    return out


async def approve(
    sessions: Sessions,
    server_key: bytes,
    *,
    wave_id: int,
    action_id: int,
    unit: str,
    texts: Texts,
    by: str,
    today: date,
) -> tuple[Followup, outbox.FollowupQueued]:
    """Store the follow-up as approved and queue it for the wave's audience at or below
    `unit`."""
    if not texts:
        raise ServiceError("there is nothing to send: no unit here has figures to tell")
    async with UnitOfWork(sessions) as uow:
        parents, audience = await _audience(uow, wave_id, unit)
        row = Followup(
            wave_id=wave_id,
            action_id=action_id,
            unit_code=unit,
            texts={u: dict(by_language) for u, by_language in texts.items()},
            approved_by=by,
            approved_on=today,
            queued=0,
        )
        uow.session.add(row)
        try:
            await uow.session.flush()
        except IntegrityError:
            raise ServiceError("this follow-up has already been approved and sent") from None
        found = await outbox.queue_followup(
            uow,
            server_key,
            row.id,
            wave_id,
            audience,
            nearest(parents, texts),
            today=today,
        )
        row.queued = found.queued
        await uow.commit()
        return row, found


__all__ = ["Texts", "approve", "approved", "nearest", "reach"]
