from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import services
from storage.models import Answer, Participation, PendingResponse, Response, Unit, Wave
from storage.rows import wave_survey
from storage.uow import UnitOfWork
from surveys.equality import MONITORING_SURVEY_KEY
from surveys.importing import ResponseImportError
from surveys.loader import SurveyCatalog
from surveys.organisation import OrgImportError
from tests.conftest import BATCHING, ORG_CSV

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2026, 11, 24)
HEADER = (
    "unit,date,values_lived,treated_fairly,dignity_respect,confident_to_report,"
    "experienced_bhd,reported_bhd,leaders_role_model,progression_fair,wellbeing_support,"
    "change_explained,enps,comment,sex,ethnicity"
)


def row(unit: str, enps: int = 8, sex: str = "female") -> str:
    return (
        f"{unit},2026-11-24,agree,agree,agree,neutral,no,,agree,disagree,agree,agree,{enps},,"
        f"{sex},white_british"
    )


async def count(sessions: Sessions, model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def open_pulse(sessions: Sessions, catalog: SurveyCatalog) -> Wave:
    await services.import_org(sessions, ORG_CSV)
    return await services.open_wave(sessions, catalog.get("staff_pulse"), today=TODAY)


async def test_org_import_creates_then_updates_units(sessions: Sessions) -> None:
    first = await services.import_org(sessions, ORG_CSV)
    assert (first.created, first.updated) == (8, 0)
    again = await services.import_org(
        sessions,
        "code,name,kind,parent_code,headcount\nSTN01,Ashford Community Fire Station,station,S-AREA,64\n",
    )
    assert (again.created, again.updated) == (0, 1)
    async with UnitOfWork(sessions) as uow:
        station = await uow.units.by_code("STN01")
        south = await uow.units.by_code("S-AREA")
        assert station is not None and south is not None
        assert station.name == "Ashford Community Fire Station"
        assert station.headcount == 64
        assert station.parent_id == south.id


async def test_a_bad_org_file_stores_nothing(sessions: Sessions) -> None:
    bad = ORG_CSV + "W9,Orphan Watch,watch,NOWHERE,4\n"
    with pytest.raises(OrgImportError) as caught:
        await services.import_org(sessions, bad)
    assert [str(p) for p in caught.value.problems] == [
        "line 10, column parent_code: unknown parent 'NOWHERE' (not in this file or the database)"
    ]
    assert await count(sessions, Unit) == 0


async def test_opening_a_wave_freezes_definition_and_thresholds(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    wave = await open_pulse(sessions, catalog)
    assert (wave.k_unit, wave.k_characteristic, wave.k_comments) == (5, 10, 10)
    frozen = wave_survey(wave)
    assert frozen == catalog.get("staff_pulse")
    summaries = await services.list_waves(sessions)
    assert [(s.wave.id, s.audience, s.responses) for s in summaries] == [(wave.id, ["NFRS"], 0)]
    closed = await services.close_wave(sessions, BATCHING, wave.id, today=TODAY)
    assert closed.status == "closed" and closed.closed_on == TODAY
    with pytest.raises(services.ServiceError, match="already closed"):
        await services.close_wave(sessions, BATCHING, wave.id, today=TODAY)


async def test_a_wave_needs_units_first(sessions: Sessions, catalog: SurveyCatalog) -> None:
    with pytest.raises(services.ServiceError, match="org import"):
        await services.open_wave(sessions, catalog.get("staff_pulse"), today=TODAY)


async def test_imported_responses_are_stored_all_or_nothing(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    wave = await open_pulse(sessions, catalog)
    monitoring = catalog.get(MONITORING_SURVEY_KEY)
    good = "\n".join([HEADER, row("STN01-RED"), row("STN01-WHITE", 3, "male"), row("CTRL")])
    stored = await services.import_responses(
        sessions, "staff_pulse", monitoring, good, wave_id=None, today=TODAY
    )
    assert stored.count == 3 and stored.wave.id == wave.id
    bad = "\n".join([HEADER, row("STN01-RED"), row("STN01-RED", enps=12)])
    with pytest.raises(ResponseImportError):
        await services.import_responses(
            sessions, "staff_pulse", monitoring, bad, wave_id=wave.id, today=TODAY
        )
    assert await count(sessions, Response) == 3
    async with sessions() as session:
        scores = sorted(
            await session.scalars(select(Answer.number).where(Answer.question_key == "enps"))
        )
        assert scores == [3, 8, 8]
        sexes = sorted(await session.scalars(select(Response.sex)))
        assert sexes == ["female", "female", "male"]


async def test_responses_can_only_go_to_units_in_the_wave_audience(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    wave = await services.open_wave(
        sessions, catalog.get("staff_pulse"), today=TODAY, unit_codes=["STN01"]
    )
    text_ = "\n".join([HEADER, row("STN01-RED"), row("CTRL")])
    with pytest.raises(ResponseImportError) as caught:
        await services.import_responses(
            sessions,
            "staff_pulse",
            catalog.get(MONITORING_SURVEY_KEY),
            text_,
            wave_id=wave.id,
            today=TODAY,
        )
    assert [str(p) for p in caught.value.problems] == [
        "line 3, column unit, value 'CTRL': unknown unit code, or not in this wave's audience"
    ]


async def test_participation_is_once_per_person_per_wave(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    wave = await open_pulse(sessions, catalog)
    async with UnitOfWork(sessions) as uow:
        uow.participations.add(wave.id, "a" * 64)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert await uow.participations.exists(wave.id, "a" * 64)
        assert not await uow.participations.exists(wave.id, "b" * 64)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        async with UnitOfWork(sessions) as uow:
            uow.participations.add(wave.id, "a" * 64)
            await uow.commit()


async def test_leaving_a_unit_of_work_without_commit_rolls_back(sessions: Sessions) -> None:
    async with UnitOfWork(sessions) as uow:
        uow.units.add(Unit(id=uuid.uuid4(), code="X", name="X", kind="service"))
        await uow.session.flush()
    assert await count(sessions, Unit) == 0


async def test_respondent_tables_hold_nothing_that_identifies_or_orders_people(
    sessions: Sessions, catalog: SurveyCatalog, database_url: str
) -> None:
    wave = await open_pulse(sessions, catalog)
    rows = [row(u) for u in ["STN01-RED", "STN01-WHITE", "CTRL", "STN02"] * 5]
    await services.import_responses(
        sessions,
        "staff_pulse",
        catalog.get(MONITORING_SURVEY_KEY),
        "\n".join([HEADER, *rows]),
        wave_id=wave.id,
        today=TODAY,
    )
    async with sessions() as session:

        def columns(sync_session, table: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
            inspector = inspect(sync_session.connection())
            return {c["name"]: str(c["type"]) for c in inspector.get_columns(table)}

        for table in ("responses", "answers"):
            cols = await session.run_sync(columns, table)
            for name in cols:
                for forbidden in (
                    "telegram",
                    "user",
                    "pseudonym",
                    "chat",
                    "phone",
                    "created",
                    "time",
                ):
                    assert forbidden not in name, f"{table}.{name} could identify a person"
            timeish = [n for n, t in cols.items() if "TIME" in t.upper()]
            assert timeish == [], f"{table} stores a time: {timeish}"
        participation_cols = await session.run_sync(columns, "participations")
        assert set(participation_cols) == {"wave_id", "pseudonym"}

        ids = list(await session.scalars(select(Response.id)))
        assert len(ids) == 20
        assert all(i.version == 4 for i in ids)
        # Random, not sequential: no two ids share their leading 32 bits.
        assert len({i.int >> 96 for i in ids}) == 20

        if session.bind.dialect.name == "sqlite":
            # WITHOUT ROWID: rows sit in key order, not in the order they were written.
            for table in ("responses", "answers", "participations"):
                with pytest.raises(Exception, match="rowid"):
                    await session.execute(text(f"SELECT rowid FROM {table}"))
    assert await count(sessions, Participation) == 0


async def test_retention_purges_expired_personal_data_but_not_answers(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    from datetime import timedelta

    from storage.models import ConversationState, Person

    wave = await open_pulse(sessions, catalog)
    long_ago = TODAY - timedelta(days=400)
    async with UnitOfWork(sessions) as uow:
        uow.session.add_all(
            [
                ConversationState(key="old", sealed="x", updated_on=long_ago),
                ConversationState(key="new", sealed="x", updated_on=TODAY),
                Person(
                    pseudonym="gone",
                    consented=True,
                    contact_ok=True,
                    contact_active=True,
                    monitoring="answered",
                    last_seen_month=long_ago,
                ),
                Person(
                    pseudonym="here",
                    consented=True,
                    contact_ok=False,
                    contact_active=False,
                    monitoring="declined",
                    last_seen_month=TODAY,
                ),
            ]
        )
        uow.participations.add(wave.id, "p" * 64)
        await uow.commit()
    await services.submit_response(
        sessions,
        BATCHING,
        wave_id=wave.id,
        unit_code="STN01-RED",
        pseudonym="q" * 64,
        answers={"values_lived": "agree"},
        snapshot={},
        today=TODAY,
    )
    await services.close_wave(sessions, BATCHING, wave.id, today=TODAY - timedelta(days=40))
    result = await services.purge_expired(
        sessions, today=TODAY, conversation_days=30, person_days=365
    )
    assert (result.conversations, result.people, result.participations) == (1, 1, 2)
    async with sessions() as session:
        assert list(await session.scalars(select(ConversationState.key))) == ["new"]
        assert list(await session.scalars(select(Person.pseudonym))) == ["here"]
    assert await count(sessions, Response) == 1


async def test_a_chat_submission_stores_response_and_participation_once(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    wave = await open_pulse(sessions, catalog)
    outcomes = []
    for _ in range(2):
        outcomes.append(
            await services.submit_response(
                sessions,
                BATCHING,
                wave_id=wave.id,
                unit_code="STN01-RED",
                pseudonym="z" * 64,
                answers={"values_lived": "agree"},
                snapshot={"sex": "male"},
                today=TODAY,
            )
        )
    assert outcomes == [services.SubmitOutcome.STORED, services.SubmitOutcome.ALREADY_ANSWERED]
    assert await count(sessions, Participation) == 1
    # The response waits, sealed, for its batch; closing the wave releases it.
    assert (await count(sessions, PendingResponse), await count(sessions, Response)) == (1, 0)
    await services.close_wave(sessions, BATCHING, wave.id, today=TODAY)
    assert (await count(sessions, PendingResponse), await count(sessions, Response)) == (0, 1)
    late = await services.submit_response(
        sessions,
        BATCHING,
        wave_id=wave.id,
        unit_code="STN01-RED",
        pseudonym="y" * 64,
        answers={"values_lived": "agree"},
        snapshot={},
        today=TODAY,
    )
    assert late == services.SubmitOutcome.WAVE_CLOSED


async def test_a_wave_stops_taking_answers_after_its_closing_date(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    from datetime import timedelta

    await services.import_org(sessions, ORG_CSV)
    pulse = catalog.get("staff_pulse")
    ending = await services.open_wave(sessions, pulse, today=TODAY, closes_on=TODAY)
    lasting = await services.open_wave(sessions, pulse, today=TODAY)
    tomorrow = TODAY + timedelta(days=1)

    async def submit(day: date, who: str) -> services.SubmitOutcome:
        return await services.submit_response(
            sessions,
            BATCHING,
            wave_id=ending.id,
            unit_code="STN01-RED",
            pseudonym=who * 64,
            answers={"values_lived": "agree"},
            snapshot={},
            today=day,
        )

    # The closing date is the last day for answers.
    async def open_on(day: date) -> list[int]:
        async with UnitOfWork(sessions) as uow:
            return [w.id for w in await services.open_waves(uow, today=day)]

    assert await open_on(TODAY) == [ending.id, lasting.id]
    assert await submit(TODAY, "a") == services.SubmitOutcome.STORED
    # The next day it takes no answers, even before anything has closed it formally...
    assert await open_on(tomorrow) == [lasting.id]
    assert await submit(tomorrow, "b") == services.SubmitOutcome.WAVE_CLOSED
    # ...and housekeeping closes it as of its closing date.
    closed = await services.close_due_waves(sessions, BATCHING, today=tomorrow)
    assert [(w.id, w.status, w.closed_on) for w in closed] == [(ending.id, "closed", TODAY)]
    assert await services.close_due_waves(sessions, BATCHING, today=tomorrow) == []
    assert await count(sessions, Response) == 1


async def test_the_monitoring_survey_cannot_run_as_a_wave(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    with pytest.raises(services.ServiceError, match="does not run in waves"):
        await services.open_wave(sessions, catalog.get(MONITORING_SURVEY_KEY), today=TODAY)


async def test_the_migrations_build_exactly_the_schema_the_models_describe(
    sessions: Sessions,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    def differences(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    engine = sessions.kw["bind"]
    async with engine.connect() as conn:
        assert await conn.run_sync(differences) == []


def test_upgrading_drops_readable_profiles_and_chat_ids_and_keeps_the_rest(
    database_url: str,
) -> None:
    import asyncio

    from alembic import command

    from storage.db import make_engine
    from storage.migrate import alembic_config

    def run(sql: str, params: list[dict[str, object]] | None = None) -> list[tuple]:  # type: ignore[type-arg]
        async def go() -> list[tuple]:  # type: ignore[type-arg]
            engine = make_engine(database_url)
            try:
                async with engine.begin() as conn:
                    result = await conn.execute(text(sql), params or [])
                    return [tuple(r) for r in result.all()] if result.returns_rows else []
            finally:
                await engine.dispose()

        return asyncio.run(go())

    config = alembic_config(database_url)
    command.downgrade(config, "0003")
    run(
        "INSERT INTO people (pseudonym, language, consented, contact_ok, contact_chat_id, "
        "contact_active, monitoring, profile, last_seen_on) VALUES (:p, :lang, :c, :ok, "
        ":chat, :active, :mon, :profile, :seen)",
        [
            {
                "p": "b" * 64,
                "lang": "cy",
                "c": True,
                "ok": True,
                "chat": 555000123,
                "active": True,
                "mon": "answered",
                "profile": '{"sex": "female"}',
                "seen": date(2026, 11, 24),
            },
            {
                "p": "a" * 64,
                "lang": None,
                "c": True,
                "ok": False,
                "chat": None,
                "active": False,
                "mon": "declined",
                "profile": None,
                "seen": date(2026, 10, 5),
            },
        ],
    )
    command.upgrade(config, "head")
    rows = run(
        "SELECT pseudonym, language, consented, contact_ok, contact_sealed, contact_active, "
        "monitoring, profile_sealed, last_seen_month FROM people ORDER BY pseudonym"
    )
    assert [
        (r[0][0], r[1], bool(r[2]), bool(r[3]), r[4], bool(r[5]), r[6], r[7]) for r in rows
    ] == [
        ("a", None, True, False, None, False, "declined", None),
        # The profile cannot be sealed without the person's id: it goes, and they are
        # offered the equality questions again; nobody is contacted without a new yes.
        ("b", "cy", True, False, None, False, "not_offered", None),
    ]
    assert [str(r[8]) for r in rows] == ["2026-10-01", "2026-11-01"]
