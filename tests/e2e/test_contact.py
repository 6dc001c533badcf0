"""Stopping messages: /stop, and blocking the bot, forget how to reach a person at once."""

from __future__ import annotations

import asyncio
import time

from tests.e2e.conftest import BotProcess, Service
from tests.e2e.fake_telegram import BOT_ID, FakeTelegram, Person
from tests.e2e.helpers import agree_to_terms, answer_everything, skip_monitoring

CONTACT = "SELECT contact_ok, contact_active, contact_sealed IS NOT NULL FROM people"


async def agreed_to_messages(service: Service, person: Person) -> None:
    await service.open("staff_pulse")
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    await agree_to_terms(person, contact="Yes, message me")
    await skip_monitoring(person)
    await answer_everything(person)
    assert await service.rows(CONTACT) == [(True, True, True)]


async def test_stop_forgets_how_to_reach_someone_and_keeps_their_answers(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    person = Person(telegram)
    await agreed_to_messages(service, person)
    mark = person.mark()
    await person.say("/stop")
    await person.expect("we will not message you about surveys again", since=mark)
    assert await service.rows(CONTACT) == [(False, False, False)]
    assert len(await service.rows("SELECT id FROM responses")) == 1
    # Someone who never agreed gets the same answer, and nothing is stored about them.
    stranger = Person(telegram)
    await stranger.say("/stop")
    await stranger.expect("we will not message you about surveys again")
    assert len(await service.rows("SELECT pseudonym FROM people")) == 1


async def test_blocking_the_bot_forgets_how_to_reach_someone(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    person = Person(telegram)
    await agreed_to_messages(service, person)
    chat = {"id": person.id, "type": "private", "first_name": person.name}
    member = {"id": BOT_ID, "is_bot": True, "first_name": "firevoice"}
    await person.send_raw(
        {
            "my_chat_member": {
                "chat": chat,
                "from": person._user(),
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": member},
                "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
            }
        }
    )
    for _ in range(100):
        if await service.rows(CONTACT) == [(False, False, False)]:
            break
        await asyncio.sleep(0.1)
    assert await service.rows(CONTACT) == [(False, False, False)]
