"""Roles and the access log (surveys/access.py has the rules).

`invite` stores a role with the random part of its invitation; `bind` checks an opened
invitation (unknown, used, expired or revoked ones are refused) and gives the role to
whoever opened it, once. `grants_of` is what the chat asks on every results command.
Every view or download is written with `record` in the same transaction as the view's
other work.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update

from storage.models import AccessRecord, DashboardSession, RoleGrant
from storage.services import ServiceError, Sessions
from storage.uow import UnitOfWork
from surveys.access import Grant, RoleKind, check_email, check_label
from surveys.links import RoleTicket


@dataclass(frozen=True)
class Invitation:
    role: RoleGrant
    ticket: RoleTicket


async def invite(
    sessions: Sessions,
    role: RoleKind,
    unit_code: str,
    label: str,
    *,
    hours: int,
    now: float,
    today: date,
) -> Invitation:
    """Store a role not yet held, with a single-use invitation valid for `hours`."""
    label = check_label(label)
    async with UnitOfWork(sessions) as uow:
        if await uow.units.by_code(unit_code) is None:
            raise ServiceError(f"unknown unit code {unit_code!r} ('firevoice org list')")
        nonce = secrets.token_urlsafe(8)
        row = RoleGrant(
            role=role.value,
            unit_code=unit_code,
            label=label,
            created_on=today,
            ticket=nonce,
            ticket_expires=now + hours * 3600,
            menu_set=False,
        )
        uow.session.add(row)
        await uow.session.flush()
        await uow.commit()
        return Invitation(row, RoleTicket(row.id, nonce))


async def grant_to_email(
    sessions: Sessions, role: RoleKind, unit_code: str, label: str, email: str, *, today: date
) -> RoleGrant:
    """A role held by whoever signs in to the dashboard through the service's identity
    provider with this e-mail address (no invitation link)."""
    label, email = check_label(label), check_email(email)
    async with UnitOfWork(sessions) as uow:
        if await uow.units.by_code(unit_code) is None:
            raise ServiceError(f"unknown unit code {unit_code!r} ('firevoice org list')")
        row = RoleGrant(
            role=role.value,
            unit_code=unit_code,
            label=label,
            created_on=today,
            ticket=None,
            ticket_expires=0.0,
            email=email,
            bound_on=today,
            menu_set=False,
        )
        uow.session.add(row)
        await uow.commit()
        return row


async def grants_for_email(sessions: Sessions, email: str) -> list[Grant]:
    """The roles granted to an e-mail address (compared without case), still in force."""
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.scalars(
            select(RoleGrant).where(
                RoleGrant.email == email.strip().lower(), RoleGrant.revoked_on.is_(None)
            )
        )
        return [grant_of(row) for row in rows]


class Bound(StrEnum):
    BOUND = "bound"
    UNKNOWN = "unknown"  # no such role (or not this invitation's random part)
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


async def bind(
    uow: UnitOfWork,
    ticket: RoleTicket,
    holder: str,
    chat_sealed: str,
    *,
    now: float,
    today: date,
) -> tuple[Bound, RoleGrant | None]:
    """Give the invited role to the person who opened the invitation, if it still may be."""
    row = await uow.session.get(RoleGrant, ticket.role_id, with_for_update=True)
    if row is None:
        return Bound.UNKNOWN, None
    if row.revoked_on is not None:
        return Bound.REVOKED, row
    if row.ticket is None:
        return Bound.USED, row
    if not secrets.compare_digest(row.ticket, ticket.nonce):
        return Bound.UNKNOWN, None
    if now > row.ticket_expires:
        return Bound.EXPIRED, row
    row.ticket = None
    row.holder = holder
    row.chat_sealed = chat_sealed
    row.bound_on = today
    row.menu_set = True
    uow.session.add(row)
    await uow.session.flush()
    return Bound.BOUND, row


def grant_of(row: RoleGrant) -> Grant:
    return Grant(row.id, RoleKind(row.role), row.unit_code, row.label)


async def grants_of(uow: UnitOfWork, holder: str) -> list[Grant]:
    """The roles a person holds now."""
    rows = await uow.session.scalars(
        select(RoleGrant).where(RoleGrant.holder == holder, RoleGrant.revoked_on.is_(None))
    )
    return [grant_of(row) for row in rows]


@dataclass(frozen=True)
class RoleInfo:
    row: RoleGrant
    status: str  # invited | expired | active | revoked


def status_of(row: RoleGrant, now: float) -> str:
    if row.revoked_on is not None:
        return "revoked"
    if row.holder is not None or row.email is not None:
        return "active"
    return "expired" if now > row.ticket_expires else "invited"


async def list_roles(sessions: Sessions, *, now: float) -> list[RoleInfo]:
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.scalars(select(RoleGrant).order_by(RoleGrant.id))
        return [RoleInfo(row, status_of(row, now)) for row in rows]


async def revoke(sessions: Sessions, role_id: int, *, now: float, today: date) -> RoleGrant:
    """End a role from today: its unused invitation and its dashboard sessions with it."""
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(RoleGrant, role_id)
        if row is None:
            raise ServiceError(f"no role with id {role_id} ('firevoice role list')")
        if row.revoked_on is not None:
            raise ServiceError(
                f"role {role_id} ({row.label}) was already revoked on {row.revoked_on}"
            )
        row.revoked_on = today
        row.ticket = None
        uow.session.add(row)
        await uow.session.execute(
            update(DashboardSession)
            .where(DashboardSession.role_id == role_id, DashboardSession.ended.is_(None))
            .values(ended=now)
        )
        await uow.commit()
        return row


async def menus_to_clear(sessions: Sessions) -> list[RoleGrant]:
    """Revoked roles whose holder's command menu still shows their commands."""
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.scalars(
            select(RoleGrant).where(RoleGrant.revoked_on.is_not(None), RoleGrant.menu_set)
        )
        return list(rows)


async def menu_cleared(sessions: Sessions, role_ids: Sequence[int]) -> None:
    async with UnitOfWork(sessions) as uow:
        for role_id in role_ids:
            row = await uow.session.get(RoleGrant, role_id)
            if row is not None:
                row.menu_set = False
                uow.session.add(row)
        await uow.commit()


def record(
    uow: UnitOfWork, grant: Grant, *, survey_key: str, wave_id: int, scope: str, fmt: str, day: date
) -> None:
    """Write one view or download to the access log, in the view's transaction."""
    uow.session.add(
        AccessRecord(
            role_id=grant.id,
            label=grant.label,
            role=grant.role.value,
            survey_key=survey_key,
            wave_id=wave_id,
            scope=scope,
            format=fmt,
            day=day,
        )
    )


async def access_log(sessions: Sessions, *, since: date | None = None) -> list[AccessRecord]:
    async with UnitOfWork(sessions) as uow:
        query = select(AccessRecord).order_by(AccessRecord.day, AccessRecord.id)
        if since is not None:
            query = query.where(AccessRecord.day >= since)
        return list(await uow.session.scalars(query))


async def purge_access_log(sessions: Sessions, *, today: date, keep_days: int) -> int:
    """Delete access records older than `keep_days`."""
    async with UnitOfWork(sessions) as uow:
        result = await uow.session.execute(
            delete(AccessRecord).where(AccessRecord.day < today - timedelta(days=keep_days))
        )
        await uow.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
