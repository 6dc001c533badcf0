"""An in-memory unit of work for unit tests of the chat's services (storage/ports.py).

It keeps what a transaction would store in plain collections and applies the same
uniqueness the database does (one participation per person and wave), so the services'
rules can be tested without a database. Integration tests run the real one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storage.batches import Batching, pool_of
from storage.models import Person, Wave, WaveOrgUnit
from surveys.engine import Answer
from surveys.equality import Snapshot


@dataclass
class FakePeople:
    rows: dict[str, Person] = field(default_factory=dict)

    async def get(self, pseudonym: str) -> Person | None:
        return self.rows.get(pseudonym)

    def add(self, person: Person) -> None:
        self.rows[person.pseudonym] = person

    async def delete(self, pseudonym: str) -> int:
        return 1 if self.rows.pop(pseudonym, None) is not None else 0


@dataclass
class FakeParticipations:
    rows: set[tuple[int, str]] = field(default_factory=set)

    async def exists(self, wave_id: int, pseudonym: str) -> bool:
        return (wave_id, pseudonym) in self.rows

    async def add_once(self, wave_id: int, pseudonym: str) -> bool:
        if (wave_id, pseudonym) in self.rows:
            return False
        self.rows.add((wave_id, pseudonym))
        return True

    async def delete_for(self, pseudonym: str) -> int:
        gone = {row for row in self.rows if row[1] == pseudonym}
        self.rows -= gone
        return len(gone)


@dataclass
class FakeWaves:
    rows: dict[int, Wave] = field(default_factory=dict)
    units: dict[int, list[WaveOrgUnit]] = field(default_factory=dict)

    def add(self, wave: Wave, org: Sequence[WaveOrgUnit]) -> None:
        self.rows[wave.id] = wave
        self.units[wave.id] = list(org)

    async def get(self, wave_id: int) -> Wave | None:
        return self.rows.get(wave_id)

    async def all(self) -> Sequence[Wave]:
        return [self.rows[k] for k in sorted(self.rows)]

    async def for_submission(self, wave_id: int) -> Wave | None:
        return self.rows.get(wave_id)

    async def org(self, wave_id: int) -> list[WaveOrgUnit]:
        return sorted(self.units.get(wave_id, []), key=lambda u: u.code)

    async def org_unit(self, wave_id: int, code: str) -> WaveOrgUnit | None:
        found = [u for u in self.units.get(wave_id, []) if u.code == code and u.in_audience]
        return found[0] if found else None


@dataclass
class Pended:
    wave_id: int
    pool: str
    unit: str
    answers: dict[str, Answer]
    snapshot: Snapshot


@dataclass
class FakePending:
    rows: list[Pended] = field(default_factory=list)

    def add(
        self,
        batching: Batching,
        wave: Wave,
        unit: WaveOrgUnit,
        answers: Mapping[str, Answer],
        snapshot: Snapshot,
    ) -> str:
        pool = pool_of(unit)
        self.rows.append(Pended(wave.id, pool, unit.code, dict(answers), dict(snapshot)))
        return pool


@dataclass
class FakeWork:
    """Fits storage.ports.Work."""

    people: FakePeople = field(default_factory=FakePeople)
    participations: FakeParticipations = field(default_factory=FakeParticipations)
    waves: FakeWaves = field(default_factory=FakeWaves)
    pending: FakePending = field(default_factory=FakePending)
