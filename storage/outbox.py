"""The outbox: messages to people who agreed to be contacted, each sent at most once.

Invitations are queued here when a wave opens (`queue_invitations`), one row per person
in the wave's audience whose home unit is in it, and reminders on the days the bot's
housekeeping picks (`queue_reminders`: only to people whose invitation went out and who
have not answered); the running bot (bot/outbox.py) sends them at a pace Telegram
accepts. The rules:

* one row per (kind, wave, person): its key is an HMAC under the server's key, so a
  second `wave invite` or a second worker queues nothing twice, and the key names nobody;
* a row is taken (`sending`) and committed before its message goes out; sent, it becomes
  `sent`; a crash in between leaves it `sending`, and at the next start such rows become
  `unknown`, never sent again: a person gets an invitation at most once;
* Telegram asking that chat to wait (429 retry_after) puts that row back with a later
  `not_before`, without holding up anyone else's;
* rows are deleted some days after they are done.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, select, text, update

from storage.models import OutboxMessage, Participation, Person, Wave, WaveOrgUnit
from storage.services import ServiceError, Sessions
from storage.uow import UnitOfWork, wrote
from surveys import sealing

INVITE = "invite"
REMINDER = "reminder"
FOLLOWUP = "followup"  # "you said, we did", approved by an officer (storage/followups.py)
ASK_RESULTS = "askresults"  # once, to people who agreed to contact before it covered results


def message_key(server_key: bytes, kind: str, wave_id: int, pseudonym: str) -> str:
    return hmac.new(
        server_key, f"outbox:{kind}:{wave_id}:{pseudonym}".encode(), hashlib.sha256
    ).hexdigest()


def _box(key: str) -> str:
    return f"outbox:{key}"


@dataclass(frozen=True)
class Invitations:
    queued: int  # new now
    already: int  # queued or sent before
    by_unit: dict[str, int] = field(default_factory=dict)  # everyone invited, by home unit
    answered: int = 0  # contactable, in the audience, but already answered
    no_home_unit: int = 0  # contactable, but with no home unit to match


async def queue_invitations(
    sessions: Sessions, server_key: bytes, wave_id: int, *, today: date, dry_run: bool = False
) -> Invitations:
    """Queue an invitation to a wave for everyone who agreed to be contacted and whose home
    unit is in its audience, unless they answered already. With dry_run, count only."""
    return await _queue(sessions, server_key, wave_id, INVITE, today=today, dry_run=dry_run)


def reminder_kind(number: int) -> str:
    return f"{REMINDER}{number}"


async def queue_reminders(
    sessions: Sessions, server_key: bytes, wave_id: int, number: int, *, today: date
) -> Invitations:
    """Queue reminder `number` of a wave for everyone invited to it (their invitation was
    sent) who has not answered. Each person gets each reminder once at most."""
    return await _queue(sessions, server_key, wave_id, reminder_kind(number), today=today)


async def reminders_queued(sessions: Sessions, wave_id: int, number: int) -> bool:
    async with UnitOfWork(sessions) as uow:
        query = select(func.count()).where(
            OutboxMessage.wave_id == wave_id, OutboxMessage.kind == reminder_kind(number)
        )
        return bool(await uow.session.scalar(query))


async def _queue(
    sessions: Sessions,
    server_key: bytes,
    wave_id: int,
    kind: str,
    *,
    today: date,
    dry_run: bool = False,
) -> Invitations:
    async with UnitOfWork(sessions) as uow:
        wave = await uow.waves.get(wave_id)
        if wave is None:
            raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
        if wave.status != "open":
            raise ServiceError(f"wave {wave_id} is closed: nobody can be invited to it")
        audience = {
            code
            for code in (
                await uow.session.scalars(
                    select(WaveOrgUnit.code).where(
                        WaveOrgUnit.wave_id == wave_id, WaveOrgUnit.in_audience.is_(True)
                    )
                )
            ).all()
        }
        answered = set(
            (
                await uow.session.scalars(
                    select(Participation.pseudonym).where(Participation.wave_id == wave_id)
                )
            ).all()
        )
        people = await _contactable(uow)
        invited: set[str] = set()
        if kind != INVITE:  # reminders: only those whose invitation went out
            invited = set(
                (
                    await uow.session.scalars(
                        select(OutboxMessage.key).where(
                            OutboxMessage.wave_id == wave_id,
                            OutboxMessage.kind == INVITE,
                            OutboxMessage.state == "sent",
                        )
                    )
                ).all()
            )
        queued = already = answered_count = no_home = 0
        by_unit: Counter[str] = Counter()
        for person in people:
            if kind != INVITE and (
                message_key(server_key, INVITE, wave_id, person.pseudonym) not in invited
            ):
                continue
            home = _home(server_key, person)
            if home is None:
                no_home += 1
                continue
            if home not in audience:
                continue
            if person.pseudonym in answered:
                answered_count += 1
                continue
            by_unit[str(home)] += 1
            if dry_run:
                continue
            chat_id = _chat(server_key, person)
            if chat_id is None:
                continue
            key = message_key(server_key, kind, wave_id, person.pseudonym)
            sealed = sealing.seal_value(server_key, chat_id, _box(key))
            added = await uow.session.execute(
                INSERT_MESSAGE,
                {
                    "key": key,
                    "kind": kind,
                    "wave_id": wave_id,
                    "chat_sealed": sealed,
                    "detail_sealed": None,
                    "language": person.language,
                    "not_before": time.time(),
                    "created_on": today,
                },
            )
            if added.first() is None:
                already += 1
            else:
                queued += 1
        await uow.commit()
    return Invitations(queued, already, dict(by_unit), answered_count, no_home)


INSERT_MESSAGE = text(
    'INSERT INTO outbox ("key", kind, wave_id, chat_sealed, detail_sealed, language, state, '
    "not_before, created_on) VALUES (:key, :kind, :wave_id, :chat_sealed, :detail_sealed, "
    ":language, 'queued', :not_before, :created_on) ON CONFLICT (\"key\") DO NOTHING "
    "RETURNING id"
)


async def _contactable(uow: UnitOfWork) -> Sequence[Person]:
    """People who agreed to be contacted and can still be reached."""
    query = select(Person).where(
        Person.contact_ok.is_(True),
        Person.contact_active.is_(True),
        Person.contact_sealed.is_not(None),
    )
    return (await uow.session.scalars(query)).all()


def _home(server_key: bytes, person: Person) -> str | None:
    box = sealing.person_box("home_unit", person.pseudonym)
    home = _open(server_key, person.home_unit_sealed, box)
    return home if isinstance(home, str) else None


def _chat(server_key: bytes, person: Person) -> object:
    return _open(server_key, person.contact_sealed, sealing.person_box("contact", person.pseudonym))


def _open(server_key: bytes, sealed: str | None, box: str) -> object:
    if sealed is None:
        return None
    try:
        return sealing.open_value(server_key, sealed, box)
    except sealing.SealError:
        return None  # sealed under another secret key: as good as absent


@dataclass(frozen=True)
class FollowupQueued:
    queued: int  # follow-ups queued now
    asked: int  # people who agreed before and are asked first whether results are welcome
    declined: int  # contactable, but said no to results messages
    by_unit: dict[str, int] = field(default_factory=dict)  # queued, by home unit


async def queue_followup(
    uow: UnitOfWork,
    server_key: bytes,
    followup_id: int,
    wave_id: int,
    audience: set[str],
    text_for: dict[str, str],
    *,
    today: date,
) -> FollowupQueued:
    """Queue an approved follow-up for everyone who agreed to contact and to results
    messages, whose home unit is in `audience`; `text_for` maps each of those units to the
    unit whose text they get. People who agreed before the question covered results are
    asked that once instead (ASK_RESULTS). Runs in the caller's transaction."""
    people = await _contactable(uow)
    queued = asked = declined = 0
    by_unit: Counter[str] = Counter()
    kind = f"{FOLLOWUP}{followup_id}"
    for person in people:
        home = _home(server_key, person)
        if home is None or home not in audience or home not in text_for:
            continue
        if person.results_ok is False:
            declined += 1
            continue
        chat_id = _chat(server_key, person)
        if chat_id is None:
            continue
        if person.results_ok is None:
            key = message_key(server_key, ASK_RESULTS, 0, person.pseudonym)  # once, ever
            row_kind, detail = ASK_RESULTS, None
        else:
            key = message_key(server_key, kind, wave_id, person.pseudonym)
            row_kind = FOLLOWUP
            detail = sealing.seal_value(
                server_key, {"f": followup_id, "u": text_for[home]}, _detail_box(key)
            )
        added = await uow.session.execute(
            INSERT_MESSAGE,
            {
                "key": key,
                "kind": row_kind,
                "wave_id": wave_id,
                "chat_sealed": sealing.seal_value(server_key, chat_id, _box(key)),
                "detail_sealed": detail,
                "language": person.language,
                "not_before": time.time(),
                "created_on": today,
            },
        )
        if added.first() is None:
            continue
        if row_kind == FOLLOWUP:
            queued += 1
            by_unit[home] += 1
        else:
            asked += 1
    wrote(uow.session)
    return FollowupQueued(queued, asked, declined, dict(by_unit))


async def followup_reach(
    uow: UnitOfWork, server_key: bytes, audience: set[str]
) -> tuple[int, int, int]:
    """Who a follow-up to `audience` would reach now, as counts only: (welcome results
    messages, to be asked first, said no to them)."""
    welcome = ask = declined = 0
    for person in await _contactable(uow):
        if _home(server_key, person) not in audience:
            continue
        if person.results_ok is True:
            welcome += 1
        elif person.results_ok is None:
            ask += 1
        else:
            declined += 1
    return welcome, ask, declined


def _detail_box(key: str) -> str:
    return f"outbox-detail:{key}"


@dataclass(frozen=True)
class Outgoing:
    id: int
    kind: str
    wave_id: int
    chat_id: int
    language: str | None
    detail: object = None  # a follow-up's {"f": id, "u": unit}


async def take_next(sessions: Sessions, server_key: bytes, now: float) -> Outgoing | None:
    """Take the next message due, marking it `sending` in a committed transaction."""
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.state == "queued", OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.state = "sending"
        await uow.commit()
    chat_id = _open(server_key, row.chat_sealed, _box(row.key))
    if not isinstance(chat_id, int):  # sealed under another secret key: nobody to send to
        await finish(sessions, row.id, "failed", today=date.today())
        return await take_next(sessions, server_key, now)
    detail = _open(server_key, row.detail_sealed, _detail_box(row.key))
    return Outgoing(row.id, row.kind, row.wave_id, chat_id, row.language, detail)


async def finish(sessions: Sessions, message_id: int, state: str, *, today: date) -> None:
    async with UnitOfWork(sessions) as uow:
        await uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state=state, done_on=today)
        )
        await uow.commit()


async def later(sessions: Sessions, message_id: int, not_before: float) -> None:
    """Put a message back to be sent from `not_before` (Telegram asked that chat to wait)."""
    async with UnitOfWork(sessions) as uow:
        await uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state="queued", not_before=not_before)
        )
        await uow.commit()


async def abandon_unfinished(sessions: Sessions, *, today: date) -> int:
    """At start: messages left `sending` by a process that stopped mid-call may or may not
    have gone out, so they are never tried again (`unknown`)."""
    async with UnitOfWork(sessions) as uow:
        result = await uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == "sending")
            .values(state="unknown", done_on=today)
        )
        await uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)


async def waiting(sessions: Sessions) -> int:
    """How many messages are queued."""
    async with UnitOfWork(sessions) as uow:
        query = select(func.count()).where(OutboxMessage.state == "queued")
        return int(await uow.session.scalar(query) or 0)


async def forget_done(sessions: Sessions, *, today: date, keep_days: int) -> int:
    """Delete messages done more than `keep_days` ago, and with them the record of who was
    invited, once their wave has closed (an open wave's reminders still need to know whom
    it invited, however long it runs)."""
    closed = select(Wave.id).where(Wave.status == "closed")
    async with UnitOfWork(sessions) as uow:
        result = await uow.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.done_on.is_not(None),
                OutboxMessage.done_on < today - timedelta(days=keep_days),
                OutboxMessage.wave_id.in_(closed),
            )
        )
        await uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)
