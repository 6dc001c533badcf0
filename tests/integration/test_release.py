"""Releasing a wave: one stored publication that every later view reads, whatever changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from analysis import synthetic, views
from analysis.data import load_wave
from analysis.labels import characteristic_labels
from analysis.release import backfill, release, stored
from analysis.render_csv import to_csv
from analysis.report import ReportError, build
from analysis.tables import compute
from storage import bulk, services
from storage.db import make_engine, make_sessionmaker
from storage.services import ServiceError, Sessions
from surveys.model import Survey
from tests.conftest import BATCHING, ORG_CSV

OPENED = date(2026, 9, 1)
CLOSED = date(2026, 9, 21)
LATER = date(2026, 11, 27)
SCOPES = (None, "N-AREA", "STN01", "STN01-RED")
# The same service after a reorganisation: White Watch moved to Brookfield, new headcounts.
MOVED_CSV = (
    ORG_CSV.replace(
        "STN01-WHITE,Ashford White Watch,watch,STN01,15",
        "STN01-WHITE,Ashford White Watch,watch,STN02,15",
    )
    .replace("STN01,Ashford,station,N-AREA,60", "STN01,Ashford,station,N-AREA,45")
    .replace(
        "NFRS,Northshire Fire and Rescue Service,service,,620", "NFRS,Northshire FRS,service,,700"
    )
)


@dataclass
class Db:
    engine: AsyncEngine
    sessions: Sessions


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Db]:
    engine = make_engine(database_url)
    try:
        await services.import_org(make_sessionmaker(engine), ORG_CSV)
        yield Db(engine, make_sessionmaker(engine))
    finally:
        await engine.dispose()


async def closed_wave(
    db: Db, survey: Survey, monitoring: Survey, *, opened: date = OPENED, seed: int = 5
) -> int:
    wave = await services.open_wave(db.sessions, survey, today=opened, monitoring=monitoring)
    generated = synthetic.generate(survey, 90, seed=seed, org_csv=ORG_CSV)
    await bulk.insert_responses(db.engine, wave.id, survey, synthetic.rows(generated), opened)
    await services.close_wave(db.sessions, BATCHING, wave.id, today=opened + timedelta(days=20))
    return wave.id


def relabelled(monitoring: Survey) -> Survey:
    """The monitoring survey after an edit that renames the sex categories."""
    raw = monitoring.model_dump(mode="json")
    for question in raw["questions"]:
        if question["key"] == "sex":
            for option in question["options"]:
                option["text"] = {"en": f"Edited {option['key']}"}
    return Survey.model_validate(raw)


async def test_after_release_no_edit_changes_any_figure_of_the_wave(
    db: Db, staff_pulse: Survey, monitoring: Survey
) -> None:
    wave = await closed_wave(db, staff_pulse, monitoring)
    publication, made = await release(
        db.sessions, db.engine, wave, monitoring=monitoring, today=CLOSED
    )
    assert made and publication.released_on == CLOSED.isoformat()
    before = {s: to_csv(views.tables(publication, scope=s, today=LATER)) for s in SCOPES}
    labels = views.labels(publication)

    # The organisation is reorganised and the categories renamed after the release.
    moved = await services.import_org(db.sessions, MOVED_CSV)
    assert moved is not None
    edited = relabelled(monitoring)
    for scope in SCOPES:
        tables = await build(
            db.sessions,
            db.engine,
            "staff_pulse",
            edited,
            wave_id=wave,
            unit=scope,
            today=LATER,
            may_release=True,
        )
        assert to_csv(tables) == before[scope], scope
        assert tables.group_labels == labels
    again, made_again = await release(db.sessions, db.engine, wave, monitoring=edited, today=LATER)
    assert not made_again and again.digest == publication.digest
    assert len(await _versions(db, wave)) == 1


async def _versions(db: Db, wave: int) -> list[object]:
    from storage.uow import UnitOfWork

    async with UnitOfWork(db.sessions) as uow:
        return list(await uow.publications.versions(wave))


async def test_a_view_never_releases_and_an_open_wave_is_not_released(
    db: Db, staff_pulse: Survey, monitoring: Survey
) -> None:
    wave = await closed_wave(db, staff_pulse, monitoring)
    with pytest.raises(ReportError, match=f"'firevoice wave release {wave}'"):
        await build(
            db.sessions, db.engine, "staff_pulse", monitoring, today=LATER, may_release=False
        )
    assert await stored(db.sessions, wave) is None
    still_open = await services.open_wave(db.sessions, staff_pulse, today=LATER)
    with pytest.raises(ServiceError, match="is still open"):
        await release(db.sessions, db.engine, still_open.id, monitoring=monitoring, today=LATER)
    assert await stored(db.sessions, still_open.id) is None


async def test_earlier_waves_are_released_first_and_their_trend_rows_are_copied(
    db: Db, staff_pulse: Survey, monitoring: Survey
) -> None:
    first = await closed_wave(db, staff_pulse, monitoring, opened=OPENED, seed=5)
    second = await closed_wave(db, staff_pulse, monitoring, opened=OPENED + timedelta(60), seed=9)
    latest, _ = await release(db.sessions, db.engine, second, monitoring=monitoring, today=LATER)
    earlier = await stored(db.sessions, first)
    assert earlier is not None
    copied = [row for row in latest.trend if row.wave == first]
    assert copied and copied == earlier.own_trend()
    assert {row.wave for row in latest.trend} == {first, second}
    trend = views.tables(latest, today=LATER).trend
    assert list(trend["wave"].unique()) == [first, second]


async def test_waves_released_before_publications_get_one_hiding_at_least_as_much(
    db: Db, staff_pulse: Survey, monitoring: Survey
) -> None:
    wave = await closed_wave(db, staff_pulse, monitoring)
    # Released by an earlier version of firevoice: a report was made, nothing was stored.
    await services.mark_reported(db.sessions, [wave], today=CLOSED)
    loaded = await services.get_wave(db.sessions, wave)
    assert loaded is not None
    old = compute(
        await load_wave(db.engine, loaded, monitoring),
        characteristic_labels(monitoring),
        today=CLOSED,
    )
    assert await services.waves_to_backfill(db.sessions)
    assert await backfill(db.sessions, db.engine, monitoring=monitoring, today=LATER) == [wave]
    assert await services.waves_to_backfill(db.sessions) == []
    publication = await stored(db.sessions, wave)
    assert publication is not None and publication.released_on == CLOSED.isoformat()
    shown = {
        (key, row.breakdown, row.group)
        for key, rows in publication.answers.items()
        for row in rows
        if row.counts is not None
    }
    hidden_before = old.results[old.results["suppressed"]]
    assert len(hidden_before) > 0
    for row in hidden_before.itertuples():
        assert (row.question, row.breakdown, row.group) not in shown
    rates = views.tables(publication, today=LATER).response_rates.set_index("unit")
    for unit in old.response_rates[old.response_rates["suppressed"]]["unit"]:
        assert bool(rates.at[unit, "suppressed"]), unit
