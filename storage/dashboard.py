"""Dashboard sign-in: single-use tickets and sessions (web/ is the edge that uses them).

Neither the ticket's token nor the session's cookie value is stored: only their SHA-256,
so someone reading the database cannot sign in with them. A session is good while it has
not expired or been ended and its role is not revoked (checked on every request).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy import delete, or_, select

from storage.models import DashboardSession, DashboardTicket, RoleGrant
from storage.roles import grant_of
from storage.services import Sessions
from storage.uow import UnitOfWork
from surveys.access import Grant

TICKET_SECONDS = 10 * 60


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_ticket(uow: UnitOfWork, role_id: int, *, now: float) -> str:
    """A new sign-in token for a role (valid TICKET_SECONDS, once); in the caller's
    transaction."""
    token = secrets.token_urlsafe(32)
    uow.session.add(
        DashboardTicket(
            token_hash=digest(token), role_id=role_id, expires=now + TICKET_SECONDS, used=False
        )
    )
    return token


async def ticket_is_good(sessions: Sessions, token: str, *, now: float) -> bool:
    """Whether a token would sign in now (looking does not use it up)."""
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(DashboardTicket, digest(token))
        return row is not None and not row.used and now <= row.expires


async def sign_in(
    sessions: Sessions, token: str, *, now: float, today: date, hours: int
) -> tuple[str, Grant] | None:
    """Use a ticket up and open a session for its role: (cookie value, grant), or None if
    the ticket is unknown, used or expired, or its role has been revoked."""
    async with UnitOfWork(sessions) as uow:
        ticket = await uow.session.get(DashboardTicket, digest(token), with_for_update=True)
        if ticket is None or ticket.used or now > ticket.expires:
            return None
        ticket.used = True
        role = await uow.session.get(RoleGrant, ticket.role_id)
        if role is None or role.revoked_on is not None or role.holder is None:
            await uow.commit()
            return None
        value = _add_session(uow, role.id, now=now, today=today, hours=hours)
        await uow.commit()
        return value, grant_of(role)


def _add_session(uow: UnitOfWork, role_id: int, *, now: float, today: date, hours: int) -> str:
    value = secrets.token_urlsafe(32)
    uow.session.add(
        DashboardSession(
            id_hash=digest(value),
            role_id=role_id,
            expires=now + hours * 3600,
            ended=None,
            started_on=today,
        )
    )
    return value


async def open_session(
    sessions: Sessions, role_id: int, *, now: float, today: date, hours: int
) -> str:
    """A session for a role whose holder proved who they are another way (OpenID Connect)."""
    async with UnitOfWork(sessions) as uow:
        value = _add_session(uow, role_id, now=now, today=today, hours=hours)
        await uow.commit()
        return value


async def session_grant(sessions: Sessions, value: str, *, now: float) -> Grant | None:
    """The role a session cookie stands for, if the session and the role are still good."""
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(DashboardSession, digest(value))
        if row is None or row.ended is not None or now > row.expires:
            return None
        role = await uow.session.get(RoleGrant, row.role_id)
        if role is None or role.revoked_on is not None:
            return None
        return grant_of(role)


async def sign_out(sessions: Sessions, value: str, *, now: float) -> None:
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(DashboardSession, digest(value))
        if row is not None and row.ended is None:
            row.ended = now
            await uow.commit()


async def purge(sessions: Sessions, *, now: float, today: date, keep_days: int) -> int:
    """Delete used or expired tickets, and sessions that ended more than `keep_days` ago."""
    async with UnitOfWork(sessions) as uow:
        await uow.session.execute(
            delete(DashboardTicket).where(or_(DashboardTicket.used, DashboardTicket.expires < now))
        )
        result = await uow.session.execute(
            delete(DashboardSession).where(
                DashboardSession.started_on < today - timedelta(days=keep_days),
                or_(DashboardSession.ended.is_not(None), DashboardSession.expires < now),
            )
        )
        await uow.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def active_sessions(sessions: Sessions, role_id: int, *, now: float) -> int:
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.scalars(
            select(DashboardSession).where(
                DashboardSession.role_id == role_id,
                DashboardSession.ended.is_(None),
                DashboardSession.expires >= now,
            )
        )
        return len(list(rows))
