"""Unit of work: one transaction, with repositories; leaving without commit() rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any, cast

from sqlalchemy import BigInteger, Date, Table, bindparam, delete, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, defer

from storage import batches
from storage.batches import Batching
from storage.models import (
    Answer,
    ConversationState,
    Participation,
    Person,
    Publication,
    Response,
    SeenUpdate,
    Unit,
    Wave,
    WaveOrgUnit,
    WaveUnit,
)
from surveys.engine import Answer as AnswerValue
from surveys.equality import Snapshot

# The statements every tap runs, written out: SQLAlchemy does not cache the compiled form of
# its INSERT ... ON CONFLICT constructs, and compiling them took a tenth of a tap's time.
# Both databases accept this SQL (SQLite from 3.35).
SEE_UPDATE = text(
    "INSERT INTO seen_updates (update_id, seen_on) VALUES (:update_id, :day) "
    "ON CONFLICT (update_id) DO NOTHING RETURNING update_id"
).bindparams(bindparam("update_id", type_=BigInteger), bindparam("day", type_=Date))
GET_CONVERSATION = text('SELECT sealed FROM conversation_states WHERE "key" = :key')
PUT_CONVERSATION = text(
    'INSERT INTO conversation_states ("key", sealed, updated_on) VALUES (:key, :sealed, :day) '
    'ON CONFLICT ("key") DO UPDATE SET sealed = excluded.sealed, updated_on = excluded.updated_on'
).bindparams(bindparam("day", type_=Date))
# Built once: Session.get() builds, annotates and keys a new SELECT every call (a fifth of
# a tap's time); a statement made once keeps its cache key.
GET_PERSON = select(Person).where(Person.pseudonym == bindparam("pseudonym"))
WAVE_FOR_SUBMISSION = (
    select(Wave)
    .options(
        defer(Wave.definition, raiseload=True), defer(Wave.monitoring_definition, raiseload=True)
    )
    .where(Wave.id == bindparam("wave_id"))
    .with_for_update(read=True)
)
ADD_PARTICIPATION = text(
    "INSERT INTO participations (wave_id, pseudonym) VALUES (:wave_id, :pseudonym) "
    "ON CONFLICT (wave_id, pseudonym) DO NOTHING RETURNING pseudonym"
)


class UnitRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def all(self) -> Sequence[Unit]:
        return (await self.session.scalars(select(Unit).order_by(Unit.code))).all()

    async def by_code(self, code: str) -> Unit | None:
        unit: Unit | None = await self.session.scalar(select(Unit).where(Unit.code == code))
        return unit

    def add(self, unit: Unit) -> None:
        self.session.add(unit)

    async def descendants(self, roots: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The given units and every unit below them."""
        rows = (await self.session.execute(select(Unit.id, Unit.parent_id))).all()
        children: dict[uuid.UUID, list[uuid.UUID]] = {}
        for unit_id, parent_id in rows:
            if parent_id is not None:
                children.setdefault(parent_id, []).append(unit_id)
        found: set[uuid.UUID] = set()
        stack = list(roots)
        while stack:
            unit_id = stack.pop()
            if unit_id not in found:
                found.add(unit_id)
                stack.extend(children.get(unit_id, []))
        return found


class WaveRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, wave_id: int) -> Wave | None:
        return await self.session.get(Wave, wave_id)

    async def all(self) -> Sequence[Wave]:
        return (await self.session.scalars(select(Wave).order_by(Wave.id))).all()

    async def open_for_survey(self, survey_key: str) -> Sequence[Wave]:
        query = select(Wave).where(Wave.survey_key == survey_key, Wave.status == "open")
        return (await self.session.scalars(query.order_by(Wave.id))).all()

    async def add(
        self, wave: Wave, audience: Iterable[uuid.UUID], org: Iterable[WaveOrgUnit]
    ) -> None:
        self.session.add(wave)
        await self.session.flush()
        self.session.add_all(WaveUnit(wave_id=wave.id, unit_id=u) for u in audience)
        for unit in org:
            unit.wave_id = wave.id
            self.session.add(unit)

    async def org(self, wave_id: int) -> list[WaveOrgUnit]:
        """The organisation as it was when the wave opened (audience and ancestors)."""
        query = select(WaveOrgUnit).where(WaveOrgUnit.wave_id == wave_id)
        return list((await self.session.scalars(query.order_by(WaveOrgUnit.code))).all())

    async def org_unit(self, wave_id: int, code: str) -> WaveOrgUnit | None:
        """A unit of the wave's audience by code, or None."""
        unit: WaveOrgUnit | None = await self.session.scalar(
            select(WaveOrgUnit).where(
                WaveOrgUnit.wave_id == wave_id,
                WaveOrgUnit.code == code,
                WaveOrgUnit.in_audience.is_(True),
            )
        )
        return unit

    async def for_submission(self, wave_id: int) -> Wave | None:
        """The wave, share-locked (PostgreSQL): submissions go on side by side, while
        closing the wave waits for them, and they see a close that committed first.

        Without its survey definitions (decoding them was a twentieth of the bot's time):
        a submission needs only the wave's state. Their later use in the same transaction
        raises rather than loading them."""
        wave: Wave | None = await self.session.scalar(WAVE_FOR_SUBMISSION, {"wave_id": wave_id})
        return wave

    async def audience(self, wave_id: int) -> list[uuid.UUID]:
        query = select(WaveUnit.unit_id).where(WaveUnit.wave_id == wave_id)
        return list((await self.session.scalars(query)).all())

    async def response_count(self, wave_id: int) -> int:
        query = (
            select(func.count())
            .select_from(Response)
            .where(Response.wave_id == wave_id, Response.withdrawn_in.is_(None))
        )
        return int(await self.session.scalar(query) or 0)


class PublicationRepository:
    """Released publications: added, read, never changed or deleted."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def latest(self, wave_id: int) -> Publication | None:
        """The version in force: the highest of the wave's versions."""
        query = (
            select(Publication)
            .where(Publication.wave_id == wave_id)
            .order_by(Publication.version.desc())
            .limit(1)
        )
        found: Publication | None = await self.session.scalar(query)
        return found

    async def versions(self, wave_id: int) -> list[Publication]:
        query = select(Publication).where(Publication.wave_id == wave_id)
        return list((await self.session.scalars(query.order_by(Publication.version))).all())

    async def released_waves(self) -> set[int]:
        return set((await self.session.scalars(select(Publication.wave_id).distinct())).all())

    async def in_force(self) -> list[tuple[Wave, int]]:
        """Every released wave (with its survey definition, for its kind and title) and the
        id of its publication in force, oldest wave first; the documents are not read."""
        newest = (
            select(Publication.wave_id, func.max(Publication.version).label("version"))
            .group_by(Publication.wave_id)
            .subquery()
        )
        query = (
            select(Wave, Publication.id)
            .options(defer(Wave.monitoring_definition))
            .join(Publication, Publication.wave_id == Wave.id)
            .join(
                newest,
                (newest.c.wave_id == Publication.wave_id)
                & (newest.c.version == Publication.version),
            )
            .order_by(Wave.opens_on, Wave.id)
        )
        return [(wave, pub_id) for wave, pub_id in (await self.session.execute(query)).all()]

    async def document(self, publication_id: int) -> Publication | None:
        found: Publication | None = await self.session.get(Publication, publication_id)
        return found

    def add(self, publication: Publication) -> None:
        self.session.add(publication)


class ResponseRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    def add(self, response: Response, answers: Iterable[Answer]) -> None:
        self.session.add(response)
        for answer in answers:
            answer.response_id = response.id
            self.session.add(answer)


class PendingRepository:
    """Submitted chat responses waiting, sealed, for their batch (storage/batches.py)."""

    def __init__(self, session: AsyncSession):
        self.session = session

    def add(
        self,
        batching: Batching,
        wave: Wave,
        unit: WaveOrgUnit,
        answers: Mapping[str, AnswerValue],
        snapshot: Snapshot,
    ) -> str:
        """Seal a response into its pool; returns the pool."""
        return batches.add_pending(self.session, batching, wave, unit, answers, snapshot)


class PeopleRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, pseudonym: str) -> Person | None:
        person: Person | None = await self.session.scalar(GET_PERSON, {"pseudonym": pseudonym})
        return person

    def add(self, person: Person) -> None:
        self.session.add(person)

    async def delete(self, pseudonym: str) -> int:
        result = await self.session.execute(delete(Person).where(Person.pseudonym == pseudonym))
        return int(getattr(result, "rowcount", 0) or 0)


class ParticipationRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def exists(self, wave_id: int, pseudonym: str) -> bool:
        query = select(Participation).where(
            Participation.wave_id == wave_id, Participation.pseudonym == pseudonym
        )
        return (await self.session.scalar(query)) is not None

    def add(self, wave_id: int, pseudonym: str) -> None:
        self.session.add(Participation(wave_id=wave_id, pseudonym=pseudonym))

    async def add_once(self, wave_id: int, pseudonym: str) -> bool:
        """Record a participation; False if there already is one (nothing changes then).

        One row, whatever the wave's size: its write order ties it only to the pending
        response written with it, which is sealed (storage/batches.py).
        """
        result = await self.session.execute(
            ADD_PARTICIPATION, {"wave_id": wave_id, "pseudonym": pseudonym}
        )
        if result.first() is None:
            return False
        wrote(self.session)
        return True

    async def delete_for(self, pseudonym: str) -> int:
        result = await self.session.execute(
            delete(Participation).where(Participation.pseudonym == pseudonym)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class ConversationRepository:
    """Unfinished conversations, sealed by the caller (bot/state.py); one row per person.

    Plain statements rather than ORM objects: these run on every tap.
    """

    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, key: str) -> str | None:
        """The sealed conversation, if there is one."""
        sealed: str | None = await self.session.scalar(GET_CONVERSATION, {"key": key})
        return sealed

    async def put(self, key: str, sealed: str, today: date) -> None:
        await self.session.execute(PUT_CONVERSATION, {"key": key, "sealed": sealed, "day": today})
        wrote(self.session)

    async def delete(self, key: str) -> None:
        await self.session.execute(delete(CONVERSATIONS).where(CONVERSATIONS.c.key == key))


CONVERSATIONS = cast(Table, ConversationState.__table__)


class SeenUpdateRepository:
    """Telegram update ids already handled, marked in the transaction of their effects."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def first_time(self, update_id: int, today: date) -> bool:
        """Mark an update id as seen; False if it was already (a redelivery).

        On PostgreSQL a second delivery being handled at the same moment waits here until
        the first commits or rolls back, so the effects happen once either way.
        """
        result = await self.session.execute(SEE_UPDATE, {"update_id": update_id, "day": today})
        if result.first() is None:
            return False
        wrote(self.session)
        return True

    async def forget_before(self, day: date) -> int:
        result = await self.session.execute(delete(SeenUpdate).where(SeenUpdate.seen_on < day))
        return int(getattr(result, "rowcount", 0) or 0)


def wrote(session: AsyncSession | Session) -> None:
    """Count a write the listeners below cannot see (a statement written out as text)."""
    session.info["writes"] = session.info.get("writes", 0) + 1


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    """Count what a session writes, so a unit of work can tell whether it changed anything."""
    if session.new or session.dirty or session.deleted:
        wrote(session)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        wrote(state.session)


class UnitOfWork:
    """`async with UnitOfWork(sessions) as uow: ...; await uow.commit()`."""

    session: AsyncSession
    units: UnitRepository
    waves: WaveRepository
    responses: ResponseRepository
    participations: ParticipationRepository
    people: PeopleRepository
    publications: PublicationRepository
    conversations: ConversationRepository
    seen: SeenUpdateRepository
    pending: PendingRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.units = UnitRepository(self.session)
        self.waves = WaveRepository(self.session)
        self.responses = ResponseRepository(self.session)
        self.participations = ParticipationRepository(self.session)
        self.people = PeopleRepository(self.session)
        self.publications = PublicationRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.seen = SeenUpdateRepository(self.session)
        self.pending = PendingRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed; unlike rollback() it leaves
        # loaded objects readable after the block.
        await self.session.close()

    @property
    def writes(self) -> int:
        """How many writes (flushes with changes, INSERT/UPDATE/DELETE) so far."""
        pending = bool(self.session.new or self.session.dirty or self.session.deleted)
        return int(self.session.info.get("writes", 0)) + pending

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
