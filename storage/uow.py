"""Unit of work: one transaction, with repositories; leaving without commit() rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from types import TracebackType

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    Answer,
    Participation,
    Person,
    Publication,
    Response,
    Unit,
    Wave,
    WaveOrgUnit,
    WaveUnit,
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


class AlreadyParticipated(Exception):
    """This person has already answered this wave."""


class PeopleRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, pseudonym: str) -> Person | None:
        return await self.session.get(Person, pseudonym)

    def add(self, person: Person) -> None:
        self.session.add(person)

    async def delete(self, pseudonym: str) -> int:
        result = await self.session.execute(delete(Person).where(Person.pseudonym == pseudonym))
        return int(getattr(result, "rowcount", 0) or 0)

    async def rewrite_all(self) -> None:
        """On PostgreSQL, write every person's row again, in pseudonym order, in this transaction.

        Called when a response is stored. PostgreSQL stamps a row with the transaction that
        last wrote it (xmin) and keeps rows roughly in write order (ctid), so a person's
        row, written at consent just before their first response, would otherwise point at
        that response. Rewritten together, all rows carry the response's transaction and
        an order that says nothing about when anyone took part. The table lock serialises
        submissions, so two rewrites cannot deadlock. SQLite has neither column, and its
        people table is kept in pseudonym order (WITHOUT ROWID), so there is nothing to do.
        """
        if self.session.bind.dialect.name != "postgresql":
            return
        await self.session.execute(text("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE"))
        await self.session.execute(
            text(
                "WITH gone AS (DELETE FROM people RETURNING *) "
                "INSERT INTO people SELECT * FROM gone ORDER BY pseudonym"
            )
        )


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

    async def add_rewriting_wave(self, wave_id: int, pseudonym: str) -> None:
        """Record a participation by rewriting every participation row of the wave.

        PostgreSQL stamps each row with the transaction that wrote it (xmin) and keeps rows
        roughly in write order (ctid). A participation inserted in the same transaction as
        its response could be joined to it through those columns. Rewriting the wave's
        rows, sorted by pseudonym, gives all of them the same transaction and an order that
        says nothing about who answered when.
        """
        result = await self.session.execute(
            delete(Participation)
            .where(Participation.wave_id == wave_id)
            .returning(Participation.pseudonym)
        )
        pseudonyms = set(result.scalars().all())
        if pseudonym in pseudonyms:
            raise AlreadyParticipated(wave_id)
        pseudonyms.add(pseudonym)
        await self.session.execute(
            insert(Participation),
            [{"wave_id": wave_id, "pseudonym": p} for p in sorted(pseudonyms)],
        )

    async def delete_for(self, pseudonym: str) -> int:
        result = await self.session.execute(
            delete(Participation).where(Participation.pseudonym == pseudonym)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class UnitOfWork:
    """`async with UnitOfWork(sessions) as uow: ...; await uow.commit()`."""

    session: AsyncSession
    units: UnitRepository
    waves: WaveRepository
    responses: ResponseRepository
    participations: ParticipationRepository
    people: PeopleRepository
    publications: PublicationRepository

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

    async def commit(self) -> None:
        await self.session.commit()
