"""People answering surveys through deep links, as they would on a phone."""

from __future__ import annotations

from tests.e2e.conftest import BotProcess, Service
from tests.e2e.fake_telegram import FakeTelegram, Person
from tests.e2e.helpers import (
    agree_to_terms,
    answer_everything,
    open_link_and_start,
    skip_monitoring,
)

MONITORING_SKIPS_AFTER_SEX = 9  # gender identity ... staff group, with condition_impact hidden


async def test_a_firefighter_completes_the_staff_pulse_from_a_station_link(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    privacy = await person.expect("how your answers are protected")
    assert "at least 5 people" in privacy.text and "Schedule 1 paragraph 8" in privacy.text
    # How long things are kept, in this deployment's own numbers (the defaults here).
    assert "deleted after 30 days" in privacy.text
    assert "deleted after 365 days without using this bot" in privacy.text
    await agree_to_terms(person)
    await person.expect("equality monitoring questions")
    await person.press("Answer them")
    await person.expect("What is your age?")
    assert await person.press("25-34") is None
    await person.expect("What is your sex?")
    await person.press("Female")
    for _ in range(MONITORING_SKIPS_AFTER_SEX):
        mark = person.mark()
        await person.press("Skip »")
        await person.tg.wait_until(lambda m=mark: len(person.chat) > m)
    await person.expect("equality monitoring answers are saved")
    first = await person.expect("Question 1 of")
    assert "Core Code of Ethics" in first.text
    assert [b["text"] for row in first.buttons for b in row] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    for label in ("Agree", "Strongly agree", "Agree", "Neither agree nor disagree"):
        mark = person.mark()
        await person.press(label)
        await person.expect("Question", since=mark)
    await person.press("Yes")  # experienced bullying, harassment or discrimination
    await person.expect("Did you report it?")
    await person.press("No")
    for label in ("Agree", "Disagree", "Agree", "Agree"):
        mark = person.mark()
        await person.press(label)
        await person.expect("Question", since=mark)
    scale = await person.expect("recommend this service")
    assert [len(row) for row in scale.buttons][:2] == [6, 5]
    await person.press("9")
    await person.expect("anything else")
    await person.say("The new rota works well.")
    await person.expect("your station will hear what changes")
    # Every answered question lost its buttons and shows the answer instead.
    answered = [m for m in person.chat if "✔" in m.text]
    assert answered and all(not m.buttons for m in answered)

    [response] = await service.rows(
        "SELECT r.age_band, r.sex, r.ethnic_group, u.code, r.channel FROM responses r "
        "JOIN units u ON u.id = r.unit_id"
    )
    assert response == ("age_25_34", "female", None, "STN01-RED", "telegram")
    answers = dict(
        await service.rows(
            "SELECT question_key, coalesce(option, CAST(number AS TEXT), text) FROM answers"
        )
    )
    assert answers["treated_fairly"] == "strongly_agree"
    assert answers["experienced_bhd"] == "yes" and answers["reported_bhd"] == "no"
    assert answers["enps"] == "9"
    assert answers["comment"] == "The new rota works well."
    assert len(await service.rows("SELECT * FROM participations")) == 1
    assert await service.rows("SELECT * FROM conversation_states") == []
    [profile] = await service.rows("SELECT monitoring, consented, contact_ok FROM people")
    assert profile == ("answered", 1, 0)
    # The profile is kept sealed: the database alone cannot match it to the snapshot above.
    [person_row] = await service.rows("SELECT * FROM people")
    assert not any(word in str(person_row) for word in ("age_25_34", "female", str(person.id)))


async def test_several_people_complete_each_bundled_survey(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    for key in ("staff_pulse", "community_visit", "forum_consultation"):
        await service.open(key)
    plan = [
        ("staff_pulse", "STN01-RED"),
        ("staff_pulse", "STN01-WHITE"),
        ("community_visit", "STN02"),
        ("community_visit", "STN02"),
        ("forum_consultation", "CTRL"),
        ("forum_consultation", "NFRS"),
    ]
    for survey, unit in plan:
        person = Person(telegram)
        await open_link_and_start(person, service.link(survey, unit))
        await answer_everything(person)
    counts = dict(
        await service.rows(
            "SELECT w.survey_key, count(*) FROM responses r JOIN waves w ON w.id = r.wave_id "
            "GROUP BY w.survey_key"
        )
    )
    assert counts == {"staff_pulse": 2, "community_visit": 2, "forum_consultation": 2}
    assert len(await service.rows("SELECT * FROM participations")) == 6
    # Multiple choice is stored one row per chosen option.
    networks = await service.rows("SELECT option FROM answers WHERE question_key = 'network'")
    assert networks == [("womens_network",), ("womens_network",)]


async def test_a_second_attempt_at_the_same_wave_is_turned_away_kindly(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("community_visit")
    person = Person(telegram)
    link = service.link("community_visit", "STN02")
    await open_link_and_start(person, link)
    await answer_everything(person)
    mark = person.mark()
    await person.say(f"/start {link}")
    await person.expect("already answered this survey", since=mark)
    assert len(await service.rows("SELECT * FROM responses")) == 1


async def test_an_edited_link_is_refused(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    good = service.link("staff_pulse", "STN01-RED")
    forged = service.link("staff_pulse", "STN01-WHITE")[:-12] + good[-12:]
    await person.say(f"/start {forged}")
    await person.expect("this link is not valid")
    assert await service.rows("SELECT * FROM conversation_states") == []
    assert await service.rows("SELECT * FROM people") == []


async def test_without_a_unit_in_the_link_people_pick_or_search_for_their_watch(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await person.say("/start")
    await agree_to_terms(person)
    await skip_monitoring(person)
    picker = await person.expect("Where do you work?")
    labels = [b["text"] for row in picker.buttons for b in row]
    assert labels == ["Fire Control", "North Area »", "South Area »"]
    await person.press("North Area »")
    await person.expect("North Area")
    await person.press("Ashford »")
    station = await person.expect("Ashford\n")
    assert [b["text"] for row in station.buttons for b in row] == [
        "Ashford Red Watch",
        "Ashford White Watch",
        "✓ Ashford",
        "« Up",
    ]
    # Typing part of a name narrows the list instead.
    mark = person.mark()
    await person.say("white")
    found = await person.expect("Units matching", since=mark)
    assert [b["text"] for row in found.buttons for b in row] == ["Ashford White Watch"]
    await person.press("Ashford White Watch")
    await person.expect("Question 1 of")
    await answer_everything(person)
    [unit] = await service.rows("SELECT u.code FROM responses r JOIN units u ON u.id = r.unit_id")
    assert unit == ("STN01-WHITE",)
