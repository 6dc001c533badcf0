"""Invitations through the outbox: a wave opens, people who agreed to be messaged are
invited once, start from the invitation, can stop further messages from it, and are
reminded if they have not answered."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from storage import outbox, services
from surveys.cadence import UK
from surveys.sealing import contact_key
from tests.e2e.conftest import BotProcess, Service
from tests.e2e.fake_telegram import FakeTelegram, Person
from tests.e2e.helpers import answer_a_survey, answer_everything

INVITED = "A new survey is open: "
YES = "Yes, message me"


async def test_a_new_wave_invites_people_who_agreed_once_and_they_start_from_it(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    willing, unwilling = Person(telegram, name="Ana"), Person(telegram, name="Ben")
    for someone, contact in ((willing, "Yes, message me"), (unwilling, "No, thank you")):
        await answer_a_survey(someone, service.link("staff_pulse", "STN01-RED"), contact=contact)

    wave = await services.open_wave(
        service.sessions,
        service.catalog.get("staff_pulse"),
        today=date.today(),
        closes_on=date(2099, 12, 31),
    )
    key = contact_key(service.secret)
    mark, other = willing.mark(), unwilling.mark()
    queued = await outbox.queue_invitations(service.sessions, key, wave.id, today=date.today())
    assert queued.queued == 1
    invitation = await willing.expect(INVITED, since=mark)
    assert "It is open until 31/12/2099" in invitation.text
    # Queued again (a second 'wave invite', a second worker): nobody hears twice.
    again = await outbox.queue_invitations(service.sessions, key, wave.id, today=date.today())
    assert (again.queued, again.already) == (0, 1)
    await asyncio.sleep(2.5)
    assert sum(INVITED in m.text for m in willing.chat) == 1
    assert not any(INVITED in m.text for m in unwilling.chat[other:])

    # The start button opens the new wave for their unit, straight at its questions.
    await willing.press("Start the survey", invitation)
    await willing.expect("Question 1 of", since=mark)
    await answer_everything(willing)
    assert len(await service.rows(f"SELECT id FROM responses WHERE wave_id = {wave.id}")) == 1

    # And the other button stops further messages.
    await willing.press("No more messages", invitation)
    await willing.expect("we will not message you about surveys again", since=mark)
    assert await service.rows("SELECT count(*) FROM people WHERE contact_ok") == [(0,)]


async def test_telegram_asking_one_chat_to_wait_delays_only_that_chat(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    people = [Person(telegram, name=name) for name in ("Cai", "Dee")]
    for someone in people:
        await answer_a_survey(someone, service.link("staff_pulse", "STN01-RED"), contact=YES)
    wave = await services.open_wave(
        service.sessions, service.catalog.get("staff_pulse"), today=date.today()
    )
    marks = [someone.mark() for someone in people]
    # The first invitation sent is refused: that chat must wait 3 s.
    telegram.next_errors["sendMessage"] = [
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        }
    ]
    loop = asyncio.get_running_loop()
    started = loop.time()
    await outbox.queue_invitations(
        service.sessions, contact_key(service.secret), wave.id, today=date.today()
    )
    arrived = {}

    async def invited(index: int) -> None:
        await people[index].expect(INVITED, since=marks[index], timeout=20)
        arrived[index] = loop.time() - started

    await asyncio.gather(invited(0), invited(1))
    first, second = sorted(arrived.values())
    assert first < 2.5  # the other chat did not wait
    assert second >= 3  # the refused one came after its wait, not before
    for index, someone in enumerate(people):
        assert sum(INVITED in m.text for m in someone.chat[marks[index] :]) == 1


async def test_people_invited_who_have_not_answered_are_reminded_halfway(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    waiting, done = Person(telegram, name="Eve"), Person(telegram, name="Fin")
    for someone in (waiting, done):
        await answer_a_survey(someone, service.link("staff_pulse", "STN01-RED"), contact=YES)
    today = date.today()
    wave = await services.open_wave(
        service.sessions,
        service.catalog.get("staff_pulse"),
        today=today,
        closes_on=today + timedelta(days=13),
    )
    await outbox.queue_invitations(
        service.sessions, contact_key(service.secret), wave.id, today=today
    )
    for someone in (waiting, done):
        invitation = await someone.expect(INVITED)
    # Fin answers from the invitation; Eve does not.
    mark = done.mark()
    await done.press("Start the survey", invitation)
    await done.expect("Question 1 of", since=mark)
    await answer_everything(done)
    marks = (waiting.mark(), done.mark())

    # Halfway through the wave (the bot's clock moved on), Eve alone is reminded, once.
    await bot.stop()
    bot.clock = datetime.combine(today + timedelta(days=7), time(9, 0), tzinfo=UK)
    await bot.start()
    reminder = await waiting.expect("A reminder: ", since=marks[0], timeout=30)
    assert "Start the survey" in str(reminder.buttons)
    await bot.stop()
    bot.clock = datetime.combine(today + timedelta(days=8), time(9, 0), tzinfo=UK)
    await bot.start()
    await asyncio.sleep(3)
    assert sum("A reminder: " in m.text for m in waiting.chat[marks[0] :]) == 1
    assert not any("A reminder: " in m.text for m in done.chat[marks[1] :])


async def test_a_restart_in_the_middle_of_sending_neither_drops_nor_repeats(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    people = [Person(telegram, name=f"Crew{i}") for i in range(8)]
    for someone in people:
        await answer_a_survey(someone, service.link("staff_pulse", "STN01-RED"), contact=YES)
    wave = await services.open_wave(
        service.sessions, service.catalog.get("staff_pulse"), today=date.today()
    )
    marks = [someone.mark() for someone in people]

    def invited() -> list[int]:
        return [
            sum(INVITED in m.text for m in someone.chat[mark:])
            for someone, mark in zip(people, marks, strict=True)
        ]

    telegram.send_delay = 0.5  # each message takes a while: the stop comes mid-send
    await outbox.queue_invitations(
        service.sessions, contact_key(service.secret), wave.id, today=date.today()
    )
    await telegram.wait_until(lambda: sum(invited()) >= 2, timeout=30)
    await bot.stop()  # SIGTERM while invitations are going out
    stopped_at = sum(invited())
    assert stopped_at < len(people)
    telegram.send_delay = 0.0
    await bot.start()
    await telegram.wait_until(lambda: sum(invited()) == len(people), timeout=30)
    await asyncio.sleep(2)
    assert invited() == [1] * len(people)
    states = await service.rows(f"SELECT state FROM outbox WHERE wave_id = {wave.id}")
    assert sorted(s for (s,) in states) == ["sent"] * len(people)


async def test_someone_who_blocked_the_bot_is_never_messaged_again(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    gone = Person(telegram, name="Gus")
    await answer_a_survey(gone, service.link("staff_pulse", "STN01-RED"), contact=YES)
    key = contact_key(service.secret)
    first = await services.open_wave(
        service.sessions, service.catalog.get("staff_pulse"), today=date.today()
    )
    # Gus has blocked the bot since: Telegram refuses the invitation with 403.
    telegram.next_errors["sendMessage"] = [
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    ]
    mark = gone.mark()
    assert (
        await outbox.queue_invitations(service.sessions, key, first.id, today=date.today())
    ).queued == 1
    for _ in range(100):
        if await service.rows("SELECT count(*) FROM people WHERE contact_active") == [(0,)]:
            break
        await asyncio.sleep(0.1)
    assert await service.rows("SELECT count(*) FROM people WHERE contact_active") == [(0,)]
    # The next wave does not even queue a message for him.
    second = await services.open_wave(
        service.sessions, service.catalog.get("staff_pulse"), today=date.today()
    )
    again = await outbox.queue_invitations(service.sessions, key, second.id, today=date.today())
    assert (again.queued, again.already) == (0, 0)
    await asyncio.sleep(1.5)
    assert not any(INVITED in m.text for m in gone.chat[mark:])
