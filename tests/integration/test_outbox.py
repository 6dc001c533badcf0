"""The outbox (storage/outbox.py) on SQLite and PostgreSQL: who is invited, once only, and
what happens to a message that was being sent when the bot stopped."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import followups, outbox, services
from storage.batches import Batching
from storage.models import OutboxMessage, Person
from storage.uow import UnitOfWork
from surveys import sealing
from surveys.loader import SurveyCatalog
from tests.conftest import ORG_CSV, SECRET

Sessions = async_sessionmaker[AsyncSession]
KEY = sealing.contact_key(SECRET)
BATCHING = Batching(sealing.pending_key(SECRET), 10)
TODAY = date(2026, 11, 27)


async def person(
    sessions: Sessions,
    name: str,
    chat_id: int,
    home: str | None,
    *,
    contact: bool = True,
    active: bool = True,
    results: bool | None = True,
) -> None:
    def sealed(purpose: str, value: object) -> str:
        box = sealing.person_box(purpose, name)
        return sealing.seal_value(KEY, value, box)

    async with UnitOfWork(sessions) as uow:
        uow.people.add(
            Person(
                pseudonym=name,
                consented=True,
                contact_ok=contact,
                contact_active=active,
                contact_sealed=sealed("contact", chat_id) if contact else None,
                home_unit_sealed=sealed("home_unit", home) if home else None,
                monitoring="declined",
                results_ok=results if contact else None,
                last_seen_month=TODAY.replace(day=1),
            )
        )
        await uow.commit()


async def messages(sessions: Sessions) -> list[tuple[str, str]]:
    async with sessions() as session:
        rows = await session.execute(select(OutboxMessage.kind, OutboxMessage.state))
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_invitations_go_to_contactable_people_of_the_audience_once(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    wave = await services.open_wave(
        sessions, catalog.get("staff_pulse"), today=TODAY, unit_codes=["N-AREA"]
    )
    await person(sessions, "red", 101, "STN01-RED")
    await person(sessions, "ashford", 102, "STN01")
    await person(sessions, "south", 103, "STN02")  # outside the audience
    await person(sessions, "nohome", 104, None)
    await person(sessions, "quiet", 105, "STN01", contact=False)
    await person(sessions, "blocked", 106, "STN01", active=False)
    await person(sessions, "answered", 107, "STN01")
    async with UnitOfWork(sessions) as uow:
        assert await uow.participations.add_once(wave.id, "answered")
        await uow.commit()

    dry = await outbox.queue_invitations(sessions, KEY, wave.id, today=TODAY, dry_run=True)
    assert dry.by_unit == {"STN01-RED": 1, "STN01": 1}
    assert (dry.queued, dry.answered, dry.no_home_unit) == (0, 1, 1)
    assert await messages(sessions) == []

    first = await outbox.queue_invitations(sessions, KEY, wave.id, today=TODAY)
    assert (first.queued, first.already) == (2, 0)
    again = await outbox.queue_invitations(sessions, KEY, wave.id, today=TODAY)
    assert (again.queued, again.already) == (0, 2)
    assert await messages(sessions) == [("invite", "queued"), ("invite", "queued")]
    # The key names nobody: no pseudonym and no chat id in the row.
    async with sessions() as session:
        for row in (await session.scalars(select(OutboxMessage))).all():
            assert "red" not in row.key and "101" not in row.chat_sealed


async def test_a_message_taken_is_sent_once_even_across_a_crash(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    wave = await services.open_wave(sessions, catalog.get("staff_pulse"), today=TODAY)
    for n in range(3):
        await person(sessions, f"p{n}", 200 + n, "STN02")
    await outbox.queue_invitations(sessions, KEY, wave.id, today=TODAY)
    now = time.time()
    first = await outbox.take_next(sessions, KEY, now)
    second = await outbox.take_next(sessions, KEY, now)
    assert first is not None and second is not None and first.id != second.id
    assert {first.chat_id, second.chat_id} <= {200, 201, 202}
    await outbox.finish(sessions, first.id, "sent", today=TODAY)
    # Telegram asked the second's chat to wait: the others are not held up.
    await outbox.later(sessions, second.id, now + 60)
    third = await outbox.take_next(sessions, KEY, now)
    assert third is not None and third.id not in (first.id, second.id)
    assert await outbox.take_next(sessions, KEY, now) is None
    # The bot stops while sending the third: at the next start it is never sent again.
    assert await outbox.abandon_unfinished(sessions, today=TODAY) == 1
    waited = await outbox.take_next(sessions, KEY, now + 61)
    assert waited is not None and waited.id == second.id
    assert await outbox.take_next(sessions, KEY, now + 61) is None
    assert sorted(await messages(sessions)) == [
        ("invite", "sending"),
        ("invite", "sent"),
        ("invite", "unknown"),
    ]
    # Done messages go after the configured days, and with them who was invited; but not
    # while their wave is open, however long it runs, since its reminders need them.
    await outbox.finish(sessions, waited.id, "sent", today=TODAY)
    assert await outbox.forget_done(sessions, today=date(2026, 12, 27), keep_days=30) == 0
    assert await outbox.forget_done(sessions, today=date(2027, 3, 1), keep_days=30) == 0
    await services.close_wave(sessions, BATCHING, wave.id, today=date(2027, 3, 1))
    assert await outbox.forget_done(sessions, today=date(2027, 3, 1), keep_days=30) == 3
    assert await messages(sessions) == []


async def test_reminders_go_only_to_those_whose_invitation_went_and_who_have_not_answered(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    wave = await services.open_wave(
        sessions, catalog.get("staff_pulse"), today=TODAY, closes_on=date(2026, 12, 10)
    )
    for name, chat in (("sent", 301), ("answered", 302), ("unsent", 303)):
        await person(sessions, name, chat, "STN02")
    await outbox.queue_invitations(sessions, KEY, wave.id, today=TODAY)
    taken = []
    while (message := await outbox.take_next(sessions, KEY, time.time())) is not None:
        taken.append(message)
    for message in taken:
        # The invitation to chat 303 was refused by Telegram: it never reached them.
        state = "failed" if message.chat_id == 303 else "sent"
        await outbox.finish(sessions, message.id, state, today=TODAY)
    async with UnitOfWork(sessions) as uow:
        assert await uow.participations.add_once(wave.id, "answered")
        await uow.commit()

    assert not await outbox.reminders_queued(sessions, wave.id, 1)
    first = await outbox.queue_reminders(sessions, KEY, wave.id, 1, today=TODAY)
    assert (first.queued, first.answered) == (1, 1)
    again = await outbox.queue_reminders(sessions, KEY, wave.id, 1, today=TODAY)
    assert (again.queued, again.already) == (0, 1)
    assert await outbox.reminders_queued(sessions, wave.id, 1)
    reminder = await outbox.take_next(sessions, KEY, time.time())
    assert reminder is not None and reminder.chat_id == 301 and reminder.kind == "reminder1"
    second = await outbox.queue_reminders(sessions, KEY, wave.id, 2, today=TODAY)
    assert second.queued == 1


async def test_a_follow_up_goes_once_to_those_who_welcome_results_and_asks_the_others(
    sessions: Sessions, catalog: SurveyCatalog
) -> None:
    await services.import_org(sessions, ORG_CSV)
    wave = await services.open_wave(
        sessions, catalog.get("staff_pulse"), today=TODAY, unit_codes=["N-AREA"]
    )
    await person(sessions, "red", 101, "STN01-RED")  # hears the station's text
    await person(sessions, "ashford", 102, "STN01")
    await person(sessions, "south", 103, "STN02")  # outside the audience
    await person(sessions, "earlier", 104, "STN01", results=None)  # asked first
    await person(sessions, "declined", 105, "STN01", results=False)
    await person(sessions, "quiet", 106, "STN01", contact=False)
    await person(sessions, "blocked", 107, "STN01", active=False)
    texts = {"STN01": {"en": "Ashford heard", "cy": "Clywodd Ashford"}}
    assert await followups.reach(sessions, KEY, wave.id, "N-AREA") == (2, 1, 1)
    assert await followups.reach(sessions, KEY, wave.id, "STN01-RED") == (1, 0, 0)

    row, found = await followups.approve(
        sessions, KEY, wave_id=wave.id, action_id=0, unit="N-AREA", texts=texts,
        by="North EDI", today=TODAY,
    )  # fmt: skip
    assert (found.queued, found.asked, found.declined) == (2, 1, 1)
    assert found.by_unit == {"STN01-RED": 1, "STN01": 1}
    assert row.queued == 2
    assert sorted(await messages(sessions)) == [
        ("askresults", "queued"), ("followup", "queued"), ("followup", "queued"),
    ]  # fmt: skip
    with pytest.raises(services.ServiceError, match="already been approved"):
        await followups.approve(
            sessions, KEY, wave_id=wave.id, action_id=0, unit="N-AREA", texts=texts,
            by="North EDI", today=TODAY,
        )  # fmt: skip
    # Each message says which text, sealed: the row names neither the person nor the unit.
    taken = [await outbox.take_next(sessions, KEY, time.time() + 1) for _ in range(3)]
    details = sorted(str(m.detail) for m in taken if m is not None and m.kind == "followup")
    assert details == [str({"f": row.id, "u": "STN01"})] * 2
    async with sessions() as session:
        for message in (await session.scalars(select(OutboxMessage))).all():
            assert "STN01" not in (message.detail_sealed or "")
