"""What the chat's services (storage/services.py) need from a unit of work.

Protocols, so that the real unit of work (storage/uow.py, one database transaction) and
an in-memory fake (tests/fakes.py) both fit, and the services' rules can be unit-tested
without a database. Only what those services use is here; the command-line services
work on the real one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from storage.batches import Batching
from storage.models import Person, Wave, WaveOrgUnit
from surveys.engine import Answer
from surveys.equality import Snapshot


class People(Protocol):
    async def get(self, pseudonym: str) -> Person | None: ...

    def add(self, person: Person) -> None: ...

    async def delete(self, pseudonym: str) -> int: ...


class Participations(Protocol):
    async def exists(self, wave_id: int, pseudonym: str) -> bool: ...

    async def add_once(self, wave_id: int, pseudonym: str) -> bool: ...

    async def delete_for(self, pseudonym: str) -> int: ...


class Waves(Protocol):
    async def get(self, wave_id: int) -> Wave | None: ...

    async def all(self) -> Sequence[Wave]: ...

    async def for_submission(self, wave_id: int) -> Wave | None: ...

    async def org(self, wave_id: int) -> list[WaveOrgUnit]: ...

    async def org_unit(self, wave_id: int, code: str) -> WaveOrgUnit | None: ...


class Pending(Protocol):
    def add(
        self,
        batching: Batching,
        wave: Wave,
        unit: WaveOrgUnit,
        answers: Mapping[str, Answer],
        snapshot: Snapshot,
    ) -> str: ...


class Work(Protocol):
    """One unit of work's repositories, as the chat's services use them."""

    @property
    def people(self) -> People: ...

    @property
    def participations(self) -> Participations: ...

    @property
    def waves(self) -> Waves: ...

    @property
    def pending(self) -> Pending: ...
