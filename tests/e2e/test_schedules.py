"""The running bot opens a scheduled wave on its day, once, invites people to it, and
closes it on time.

The bot runs with its clock moved (time-machine, BotProcess.clock): a schedule added today
for every quarter, then the bot on the next quarter's opening day, the day after (a
restart), and the day after the wave's last day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time

from storage import schedules
from surveys.cadence import UK, Every, period_of, uk_today
from tests.e2e.conftest import BotProcess, Service
from tests.e2e.fake_telegram import FakeTelegram, Person
from tests.e2e.helpers import answer_a_survey


async def waves(service: Service) -> list[tuple]:  # type: ignore[type-arg]
    return await service.rows(
        "SELECT id, label, status, opens_on, closes_on FROM waves ORDER BY id"
    )


async def wait_for(
    service: Service,
    check: Callable[[list[tuple]], bool],  # type: ignore[type-arg]
    timeout: float = 30,
) -> list[tuple]:  # type: ignore[type-arg]
    """The waves once `check(waves)` holds (the bot's housekeeping runs at start)."""
    for _ in range(int(timeout * 10)):
        found = await waves(service)
        if check(found):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"the waves never became right: {await waves(service)}")


async def test_a_schedule_opens_its_wave_once_on_its_day_and_closes_it_after_its_last(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await schedules.add_schedule(
        service.sessions,
        service.catalog.get("staff_pulse"),
        every="quarter",
        open_on=1,
        days=14,
        label_format="Pulse {quarter} {year}",
        unit_codes=(),
        today=uk_today(),
    )
    # Someone who agreed to be messaged, from answering an earlier survey of their unit.
    await service.open("community_visit")
    person = Person(telegram)
    link = service.link("community_visit", "STN01-RED")
    await answer_a_survey(person, link, contact="Yes, message me")
    quarter = period_of(Every.QUARTER, uk_today()).following()
    label = f"Pulse Q{(quarter.start.month - 1) // 3 + 1} {quarter.start.year}"
    await bot.stop()

    # Its opening day, 08:00 in the UK.
    bot.clock = datetime.combine(quarter.start, time(8, 0), tzinfo=UK)
    await bot.start()
    [_, wave] = await wait_for(service, lambda found: len(found) == 2)
    wave_id, wave_label, status, opens_on, closes_on = wave
    assert (wave_label, status) == (label, "open")
    assert str(opens_on) == quarter.start.isoformat()
    assert str(closes_on) == quarter.start.replace(day=14).isoformat()
    # Those who agreed to be messaged are invited, and can answer at once.
    invitation = await person.expect("A new survey is open: ")
    mark = person.mark()
    await person.press("Start the survey", invitation)
    await person.expect("Question 1 of", since=mark)

    # A restart the next day opens nothing more.
    await bot.stop()
    bot.clock = datetime.combine(quarter.start.replace(day=2), time(8, 0), tzinfo=UK)
    await bot.start()
    await asyncio.sleep(2)
    assert [w[0] for w in await waves(service)][1:] == [wave_id]
    assert sum("A new survey is open" in m.text for m in person.chat) == 1

    # The day after its last day, just after midnight UK time, it closes.
    await bot.stop()
    bot.clock = datetime.combine(quarter.start.replace(day=15), time(0, 5), tzinfo=UK)
    await bot.start()
    [_, closed] = await wait_for(service, lambda found: found[-1][2] == "closed")
    assert closed[0] == wave_id
    assert "schedule 1 opened wave" in bot.output()
