"""The chat's services (storage/services.py) against an in-memory unit of work.

The rules a person relies on when answering in the chat, without a database: a response
counts once, never after the wave has closed, only for a unit of the wave's audience, and
waits in its pool; erasing takes everything linkable to a person. tests/integration runs
the same services on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from storage import services
from storage.batches import Batching
from storage.models import Wave, WaveOrgUnit
from surveys.equality import empty_snapshot
from tests.fakes import FakeWork

TODAY = date(2026, 11, 27)
BATCHING = Batching(b"k" * 32, 10)


def org_unit(
    code: str, name: str, kind: str, parent: str | None, audience: bool = True
) -> WaveOrgUnit:
    return WaveOrgUnit(
        wave_id=1,
        unit_id=uuid.uuid4(),
        code=code,
        name=name,
        kind=kind,
        parent_code=parent,
        headcount=None,
        in_audience=audience,
    )


def wave(wave_id: int = 1, status: str = "open", closes_on: date | None = None) -> Wave:
    return Wave(
        id=wave_id,
        survey_key="staff_pulse",
        label=f"Wave {wave_id}",
        status=status,
        opens_on=date(2026, 11, 1),
        closes_on=closes_on,
        k_unit=5,
        k_characteristic=10,
        k_comments=10,
        definition={},
    )


@pytest.fixture
def work() -> FakeWork:
    work = FakeWork()
    work.waves.add(
        wave(),
        [
            org_unit("NFRS", "Northshire", "service", None, audience=False),
            org_unit("STN01", "Ashford", "station", "NFRS"),
            org_unit("STN01-RED", "Ashford Red Watch", "watch", "STN01"),
            org_unit("STN01-WHITE", "Ashford White Watch", "watch", "STN01"),
            org_unit("STN02", "Brookfield", "station", "NFRS"),
        ],
    )
    return work


async def submit(
    work: FakeWork, who: str = "p1", unit: str = "STN01-RED", wave_id: int = 1
) -> services.Submitted:
    return await services.submit_in(
        work,
        BATCHING,
        wave_id=wave_id,
        unit_code=unit,
        pseudonym=who,
        answers={"q1": "yes", "q2": ("a", "b")},
        snapshot=empty_snapshot(),
        today=TODAY,
    )


async def test_a_response_is_stored_once_and_waits_with_its_station(work: FakeWork) -> None:
    first = await submit(work)
    assert first.outcome == services.SubmitOutcome.STORED
    assert first.pool == "STN01"  # a watch waits with its station
    again = await submit(work)
    assert again.outcome == services.SubmitOutcome.ALREADY_ANSWERED
    assert [p.unit for p in work.pending.rows] == ["STN01-RED"]
    assert work.pending.rows[0].answers == {"q1": "yes", "q2": ("a", "b")}
    assert await work.participations.exists(1, "p1")
    station = await submit(work, who="p2", unit="STN02")
    assert station.pool == "STN02"


async def test_nothing_is_stored_for_a_closed_or_overdue_wave(work: FakeWork) -> None:
    work.waves.add(wave(2, status="closed"), work.waves.units[1])
    work.waves.add(wave(3, closes_on=date(2026, 11, 26)), work.waves.units[1])
    for wave_id in (2, 3, 99):
        submitted = await submit(work, wave_id=wave_id)
        assert submitted.outcome == services.SubmitOutcome.WAVE_CLOSED
    assert work.pending.rows == [] and work.participations.rows == set()
    # The closing date itself is still a day for answers.
    work.waves.add(wave(4, closes_on=TODAY), work.waves.units[1])
    assert (await submit(work, wave_id=4)).outcome == services.SubmitOutcome.STORED


async def test_a_unit_outside_the_audience_is_refused_and_nothing_is_stored(
    work: FakeWork,
) -> None:
    for unit in ("NFRS", "NOWHERE"):  # an ancestor kept for levels, and an unknown code
        with pytest.raises(services.ServiceError, match="audience"):
            await submit(work, unit=unit)
    assert work.pending.rows == [] and work.participations.rows == set()


async def test_erasing_a_person_takes_their_record_and_participations(work: FakeWork) -> None:
    await services.update_person(work, "p1", TODAY, consented=True)
    await submit(work)
    await services.update_person(work, "p2", TODAY, consented=True)
    await services.erase_person(work, "p1")
    assert await work.people.get("p1") is None
    assert not await work.participations.exists(1, "p1")
    assert await work.people.get("p2") is not None
    # What was submitted stays, anonymous, in its pool.
    assert len(work.pending.rows) == 1


async def test_a_new_person_starts_with_nothing_agreed_and_is_seen_to_the_month(
    work: FakeWork,
) -> None:
    person = await services.update_person(work, "p1", TODAY, language="cy")
    assert (person.consented, person.contact_ok, person.contact_active) == (False, False, False)
    assert person.monitoring == "not_offered" and person.language == "cy"
    assert person.last_seen_month == date(2026, 11, 1)
    later = await services.update_person(work, "p1", date(2027, 1, 15), consented=True)
    assert later is person and later.consented and later.language == "cy"
    assert later.last_seen_month == date(2027, 1, 1)


async def test_open_waves_are_those_taking_answers_today(work: FakeWork) -> None:
    work.waves.add(wave(2, status="closed"), [])
    work.waves.add(wave(3, closes_on=date(2026, 11, 26)), [])
    work.waves.add(wave(4, closes_on=TODAY), [])
    assert [w.id for w in await services.open_waves(work, today=TODAY)] == [1, 4]


async def test_the_unit_picker_sees_the_audience_as_a_tree(work: FakeWork) -> None:
    roots, units = await services.wave_units(work, 1)
    assert roots == ["STN01", "STN02"]  # the service is outside the audience
    assert units["STN01"].children == ("STN01-RED", "STN01-WHITE")
    assert units["STN01-RED"].parent_code == "STN01" and "NFRS" not in units
