"""How the bot may reach a person: the home unit kept for invitations (sealed, only while
they agree to be messaged), and /stop or blocking the bot, which forget it all at once."""

from __future__ import annotations

import asyncio
import time

from surveys import sealing
from tests.e2e.conftest import BotProcess, Service
from tests.e2e.fake_telegram import BOT_ID, FakeTelegram, Person
from tests.e2e.helpers import answer_a_survey

YES = "Yes, message me"
CONTACT = "SELECT contact_ok, contact_active, contact_sealed IS NOT NULL FROM people"


async def agreed_to_messages(service: Service, person: Person) -> None:
    await service.open("staff_pulse")
    await answer_a_survey(person, service.link("staff_pulse", "STN01-RED"), contact=YES)
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


def opened_home_unit(service: Service, sealed: str, pseudonym: str) -> str:
    """What the bot can read with the server's key (a holder of the database alone cannot)."""
    key, box = sealing.contact_key(service.secret), sealing.person_box("home_unit", pseudonym)
    return str(sealing.open_value(key, sealed, box))


async def test_the_unit_someone_answers_for_becomes_their_home_unit_changeable_in_profile(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    person = Person(telegram)
    await agreed_to_messages(service, person)
    [(who, sealed)] = await service.rows("SELECT pseudonym, home_unit_sealed FROM people")
    assert "STN01" not in sealed
    assert opened_home_unit(service, sealed, who) == "STN01-RED"
    mark = person.mark()
    await person.say("/profile")
    await person.expect("Your unit, for invitations to its surveys: Ashford Red Watch", since=mark)
    await person.press("Change my unit")
    await person.expect("Northshire Fire and Rescue Service", since=mark)
    await person.say("brook")  # a search, as in any unit picker
    await person.press("Brookfield (on-call)")
    await person.expect("you will be invited to surveys for Brookfield (on-call)", since=mark)
    [(_, sealed)] = await service.rows("SELECT pseudonym, home_unit_sealed FROM people")
    assert opened_home_unit(service, sealed, who) == "STN02"
    await person.say("/stop")
    assert await service.rows("SELECT home_unit_sealed FROM people") == [(None,)]


async def test_no_home_unit_is_kept_for_someone_who_does_not_want_messages(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await answer_a_survey(person, service.link("staff_pulse", "STN01-RED"))
    assert await service.rows("SELECT home_unit_sealed FROM people") == [(None,)]
    mark = person.mark()
    await person.say("/profile")
    shown = await person.expect("equality", since=mark)
    assert "Your unit" not in shown.text
    assert not any("Change my unit" in b["text"] for row in shown.buttons for b in row)
