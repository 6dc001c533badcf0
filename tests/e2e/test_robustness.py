"""Never lose, never double, never crash: restarts, redeliveries, stale buttons, junk."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.conftest import BotProcess, Service, bot_env, start_webhook
from tests.e2e.fake_telegram import FakeTelegram, Person
from tests.e2e.helpers import (
    agree_to_terms,
    answer_everything,
    open_link_and_start,
    skip_monitoring,
)


async def start_pulse(person: Person, service: Service, unit: str = "STN01-RED") -> None:
    await open_link_and_start(person, service.link("staff_pulse", unit))
    await person.expect("Question 1 of")


async def answers_stored(service: Service) -> dict[str, str]:
    return dict(
        await service.rows(
            "SELECT question_key, coalesce(option, CAST(number AS TEXT), text) FROM answers"
        )
    )


async def test_refusing_consent_stores_nothing(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    await person.expect("Do you agree to take part")
    await person.press("Not now")
    await person.expect("Nothing about you has been stored")
    assert await service.rows("SELECT * FROM people") == []
    assert await service.rows("SELECT * FROM conversation_states") == []


async def test_skipping_monitoring_leaves_the_snapshot_empty_and_is_not_asked_again(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    await service.open("community_visit")
    person = Person(telegram)
    await start_pulse(person, service)
    await answer_everything(person)
    [snapshot] = await service.rows("SELECT sex, ethnic_group, disability, age_band FROM responses")
    assert snapshot == (None, None, None, None)
    assert await service.rows("SELECT monitoring FROM people") == [("declined",)]
    mark = person.mark()
    await person.say(f"/start {service.link('community_visit', 'STN02')}")
    await person.expect("Question 1 of", since=mark)
    assert not any("equality monitoring questions" in m.text for m in person.chat[mark:])


async def test_back_skip_and_cancel(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await start_pulse(person, service)
    first = person.last()
    assert "Skip »" not in str(first.buttons)  # required question: no skip
    assert "« Back" not in str(first.buttons)  # nothing to go back to
    await person.press("Disagree")
    second = await person.expect("Question 2 of")
    mark = person.mark()
    await person.press("« Back", second)
    again = await person.expect("Question 1 of", since=mark)
    await person.press("Strongly agree", again)
    for label in ("Agree", "Agree", "Agree"):
        mark = person.mark()
        await person.press(label)
        await person.expect("Question", since=mark)
    optional = await person.expect("experienced bullying")
    assert "Skip »" in str(optional.buttons)
    mark = person.mark()
    await person.press("Skip »", optional)
    cancelled = await person.expect("Senior leaders", since=mark)
    _, left_behind = person.find_button("Neither agree nor disagree", cancelled)
    # Cancel throws away the unfinished answers.
    mark = person.mark()
    await person.say("/cancel")
    await person.expect("unfinished answers have been deleted", since=mark)
    assert await service.rows("SELECT * FROM conversation_states") == []
    assert await service.rows("SELECT * FROM responses") == []

    async def the_old_button_is_refused() -> None:
        # The question shown at /cancel keeps its buttons; they belong to the cancelled
        # answers and must never count in the new run, whatever question it is at.
        notice = await person.press_data(cancelled, left_behind)
        assert notice == "That question has already been answered."

    # Starting again goes straight to the questions (consent is remembered).
    mark = person.mark()
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    restart = await person.expect("Question 1 of", since=mark)
    assert not any("Do you agree" in m.text for m in person.chat[mark:])
    await the_old_button_is_refused()
    await person.press("Strongly agree", restart)
    await person.expect("Question 2 of", since=mark)
    for label in ("Agree", "Agree", "Agree"):
        await the_old_button_is_refused()
        mark = person.mark()
        await person.press(label)
        await person.expect("Question", since=mark)
    await the_old_button_is_refused()
    await person.press("Skip »")
    await answer_everything(person, before_each=the_old_button_is_refused)
    answers = await answers_stored(service)
    assert answers["values_lived"] == "strongly_agree"
    assert "experienced_bhd" not in answers and "reported_bhd" not in answers
    assert "neutral" not in answers.values()


async def test_a_restart_mid_survey_continues_at_the_same_question(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await start_pulse(person, service)
    await person.press("Agree")
    question_2 = await person.expect("Question 2 of")
    await bot.stop()
    await bot.start()
    # The button on the message sent before the restart still works.
    mark = person.mark()
    assert await person.press("Disagree", question_2) is None
    await person.expect("Question 3 of", since=mark)
    await bot.stop()
    await bot.start()
    mark = person.mark()
    await person.say("/start")
    await person.expect("Welcome back", since=mark)
    await person.expect("Question 3 of", since=mark)
    await answer_everything(person)
    answers = await answers_stored(service)
    assert answers["values_lived"] == "agree" and answers["treated_fairly"] == "disagree"
    assert len(await service.rows("SELECT * FROM responses")) == 1


async def test_a_redelivered_update_and_a_double_tap_are_recorded_once(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("community_visit")
    person = Person(telegram)
    await open_link_and_start(person, service.link("community_visit", "STN02"))
    first = await person.expect("Question 1 of")
    # Two taps on the same button before the bot has answered the first.
    _, data = person.find_button("Home fire safety check", first)
    a = await person.send_raw(person.callback_update(first, data))
    b = await person.send_raw(person.callback_update(first, data))
    ids = {a["callback_query"]["id"], b["callback_query"]["id"]}
    await telegram.wait_until(
        lambda: (
            ids
            <= {c.params.get("callback_query_id") for c in telegram.calls_of("answerCallbackQuery")}
        )
    )
    notices = [
        c.params.get("text")
        for c in telegram.calls_of("answerCallbackQuery")
        if c.params.get("callback_query_id") in ids
    ]
    assert sorted(str(n) for n in notices) == ["None", "That question has already been answered."]
    second = await person.expect("Question 2 of")
    # The same update delivered again (as after a crash before Telegram got the ack).
    update = await person.send_raw(
        person.callback_update(second, person.find_button("Agree", second)[1])
    )
    await person.expect("Question 3 of")
    await person.send_raw(update, redeliver=True)
    mark = person.mark()
    await person.say("/help")
    await person.expect("anonymous surveys", since=mark)
    await asyncio.sleep(0.5)
    # The redelivered answer is not recorded again (no question 4); since the first
    # delivery's reply might have been lost, the person is shown question 3 once more.
    assert sum("Question 3 of" in m.text for m in person.chat) == 2
    assert sum("Question 4 of" in m.text for m in person.chat) == 0
    await answer_everything(person)
    rows = await service.rows("SELECT question_key FROM answers WHERE question_key = 'visit_type'")
    assert rows == [("visit_type",)]
    assert len(await service.rows("SELECT * FROM responses")) == 1


async def test_stale_and_forged_buttons_change_nothing(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await start_pulse(person, service)
    first = person.last()
    _, agree = person.find_button("Agree", first)
    await person.press_data(first, agree)
    await person.expect("Question 2 of")
    assert await person.press_data(first, agree) == "That question has already been answered."
    assert (
        await person.press_data(first, "fv:999:ans:0") == "That question has already been answered."
    )
    current = person.last()
    step = person.find_button("Agree", current)[1].split(":")[1]
    assert (
        await person.press_data(current, f"fv:{step}:ans:99") == "This button is no longer valid."
    )
    assert (
        await person.press_data(current, f"fv:{step}:erase:yes")
        == "That question has already been answered."
    )
    assert (
        await person.press_data(current, "DROP TABLE answers;") == "This button is no longer valid."
    )
    assert await person.press_data(current, "fv:x") == "This button is no longer valid."
    assert await service.rows("SELECT * FROM people WHERE consented = 1") != []
    mark = person.mark()
    await person.press("Strongly agree", current)
    await person.expect("Question 3 of", since=mark)
    await answer_everything(person)
    answers = await answers_stored(service)
    assert answers["values_lived"] == "agree" and answers["treated_fairly"] == "strongly_agree"


async def test_junk_input_gets_a_helpful_reply_and_never_breaks_the_survey(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram)
    await start_pulse(person, service)
    file = {"file_id": "f1", "file_unique_id": "u1"}
    junk = [
        person.message_update(
            sticker={
                **file,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        ),
        person.message_update(photo=[{**file, "width": 90, "height": 90}]),
        person.message_update(voice={**file, "duration": 3}),
    ]
    for update in junk:
        mark = person.mark()
        await person.send_raw(update)
        await person.expect("I can only read text messages", since=mark)
    mark = person.mark()
    await person.say("/frobnicate")
    await person.expect("I don't know that command", since=mark)
    mark = person.mark()
    await person.say("agree I think")
    await person.expect("answer with the buttons", since=mark)
    # Edited messages and group chats are ignored, silently.
    edited = person.message_update("changed my mind")
    await person.send_raw({"edited_message": {**edited["message"], "edit_date": 1}})
    group = person.message_update("/start")
    group["message"]["chat"] = {"id": -100123, "type": "group", "title": "Red Watch"}
    await person.send_raw(group)
    for label in ("Agree", "Agree", "Agree", "Agree"):
        mark = person.mark()
        await person.press(label)
        await person.expect("Question", since=mark)
    await answer_everything(person, finished="Question 11")
    mark = person.mark()
    await person.press("7")
    await person.expect("anything else", since=mark)
    mark = person.mark()
    await person.say("x" * 1500)
    too_long = await person.expect("the limit is 1000", since=mark)
    assert "1500 characters" in too_long.text
    mark = person.mark()
    await person.say("   ")
    await person.say("Short and clear.")
    await person.expect("your station will hear", since=mark)
    assert not any(m.chat_id == -100123 for m in telegram.messages.values())
    answers = await answers_stored(service)
    assert answers["comment"] == "Short and clear."
    assert len(await service.rows("SELECT * FROM responses")) == 1
    assert "Traceback" not in bot.output()


async def test_erasure_deletes_everything_linkable_and_keeps_anonymous_answers(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    await service.open("community_visit")
    person = Person(telegram)
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    await agree_to_terms(person, contact="Yes, message me")
    await person.expect("equality monitoring questions")
    await person.press("Answer them")
    await person.expect("What is your age?")
    await person.press("45-54")
    await answer_everything(person, finished="Thank you. Your equality")
    await answer_everything(person)
    mark = person.mark()
    await person.say(f"/start {service.link('community_visit', 'STN02')}")
    await person.expect("Question 1 of", since=mark)
    [person_row] = await service.rows("SELECT * FROM people WHERE contact_sealed IS NOT NULL")
    assert str(person.id) not in str(person_row) and "age_45_54" not in str(person_row)
    assert len(await service.rows("SELECT * FROM conversation_states")) == 1

    mark = person.mark()
    await person.say("/delete_my_data")
    confirm = await person.expect("cannot be found", since=mark)
    await person.press("Yes, delete", confirm)
    await person.expect("Everything linked to you has been deleted", since=mark)
    assert await service.rows("SELECT * FROM people") == []
    assert await service.rows("SELECT * FROM participations") == []
    assert await service.rows("SELECT * FROM conversation_states") == []
    assert await service.rows("SELECT age_band FROM responses") == [("age_45_54",)]
    # Starting again is a fresh start: the privacy notice and consent come first.
    mark = person.mark()
    await person.say(f"/start {service.link('community_visit', 'STN02')}")
    await person.expect("Do you agree to take part", since=mark)


async def test_profile_shows_and_changes_the_equality_answers(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("community_visit")
    person = Person(telegram)
    await person.say(f"/start {service.link('community_visit', 'STN02')}")
    await agree_to_terms(person)
    await skip_monitoring(person)
    await answer_everything(person)
    mark = person.mark()
    await person.say("/profile")
    none = await person.expect("not given any equality monitoring answers", since=mark)
    await person.press("Answer them now", none)
    await person.expect("What is your age?", since=mark)
    await person.press("65 or over")
    await person.expect("What is your sex?")
    await person.press("Prefer not to say")
    await answer_everything(person, finished="Thank you. Your equality")
    mark = person.mark()
    await person.say("/profile")
    shown = await person.expect("Your equality monitoring answers", since=mark)
    assert "65 or over" in shown.text and "Prefer not to say" in shown.text
    await person.press("Delete these answers", shown)
    await person.expect("have been deleted", since=mark)
    assert await service.rows("SELECT profile_sealed FROM people") == [(None,)]


async def test_profile_before_any_survey_shows_the_privacy_notice_first(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    person = Person(telegram)
    await person.say("/profile")
    none = await person.expect("not given any equality monitoring answers")
    mark = person.mark()
    await person.press("Answer them now", none)
    await person.expect("how your answers are protected", since=mark)
    consent = await person.expect("Do you agree to take part", since=mark)
    assert await service.rows("SELECT * FROM people") == []
    assert not any("What is your age?" in m.text for m in person.chat[mark:])
    await person.press("Not now", consent)
    await person.expect("Nothing about you has been stored", since=mark)
    assert await service.rows("SELECT * FROM people") == []

    mark = person.mark()
    await person.say("/profile")
    none = await person.expect("not given any equality monitoring answers", since=mark)
    await person.press("Answer them now", none)
    consent = await person.expect("Do you agree to take part", since=mark)
    await person.press("I agree", consent)
    contact = await person.expect("may we message you", since=mark)
    await person.press("No, thank you", contact)
    await person.expect("What is your age?", since=mark)
    await person.press("25-34")
    await answer_everything(person, finished="Thank you. Your equality")
    [(consented, sealed)] = await service.rows("SELECT consented, profile_sealed FROM people")
    assert consented and sealed and "age_25_34" not in sealed
    mark = person.mark()
    await person.say("/profile")
    shown = await person.expect("Your equality monitoring answers", since=mark)
    assert "25-34" in shown.text


async def test_welsh_speakers_get_welsh_and_can_switch_language(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram, language="cy")
    await person.say(f"/start {service.link('staff_pulse', 'STN01-RED')}")
    privacy = await person.expect("Cyn i chi ddechrau")
    assert "ar ôl 30 diwrnod" in privacy.text and "ar ôl 365 diwrnod" in privacy.text
    consent = await person.expect("Ydych chi'n cytuno")
    await person.press("Rwy'n cytuno", consent)
    contact = await person.expect("Un dewis arall")
    await person.press("Na, dim diolch", contact)
    offer = await person.expect("Hoffech chi ateb")
    await person.press("Hepgor y cyfan", offer)
    question = await person.expect("Cwestiwn 1 o")
    assert "Cytuno'n gryf" in str(question.buttons)
    mark = person.mark()
    await person.say("/language")
    choose = await person.expect("Dewiswch eich iaith", since=mark)
    await person.press("English", choose)
    await person.expect("Language: English.", since=mark)
    mark = person.mark()
    await person.say("/help")
    await person.expect("anonymous surveys", since=mark)
    assert await service.rows("SELECT language FROM people") == [("en",)]


async def test_telegram_errors_are_retried_or_recorded(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("community_visit")
    person = Person(telegram)
    await person.say(f"/start {service.link('community_visit', 'STN02')}")
    await person.expect("Do you agree to take part")
    await person.press("I agree")
    await person.expect("may we message you")
    # The next message (the monitoring offer) is refused once with "slow down".
    telegram.next_errors["sendMessage"] = [
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
    ]
    await person.press("Yes, message me")
    offer = await person.expect("equality monitoring questions")
    assert (
        sum(
            "equality monitoring questions" in c.params.get("text", "")
            for c in telegram.calls_of("sendMessage")
        )
        == 2
    )
    await person.press("Skip all", offer)
    await person.expect("Question 1 of")
    assert await service.rows("SELECT contact_active FROM people") == [(1,)]
    telegram.next_errors["sendMessage"] = [
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    ]
    await person.say("/help", expect_reply=False)
    await telegram.wait_until(lambda: not telegram.next_errors["sendMessage"])
    for _ in range(50):
        if await service.rows("SELECT contact_active FROM people") == [(0,)]:
            break
        await asyncio.sleep(0.1)
    assert await service.rows("SELECT contact_active FROM people") == [(0,)]


async def test_logs_hold_no_ids_usernames_or_answers(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    person = Person(telegram, name="Morgan")
    await start_pulse(person, service)
    await answer_everything(person, text="My watch manager Jo Bloggs is great")
    await bot.stop()
    output = bot.output()
    assert "firevoice started" in output
    for secret in (str(person.id), "morgan_", "Jo Bloggs", "strongly"):
        assert secret not in output


async def test_webhook_mode_accepts_only_requests_with_the_secret_token(
    telegram: FakeTelegram, service: Service, tmp_path: Path, unused_tcp_port: int
) -> None:
    await service.open("staff_pulse")
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(telegram, api_url, tmp_path, bot_env(api_url, service, tmp_path))
    await start_webhook(process, unused_tcp_port, "https://firevoice.example.org", "--path", "/tg")
    try:
        await telegram.wait_until(lambda: bool(telegram.calls_of("setWebhook")), timeout=60)
        [call] = telegram.calls_of("setWebhook")
        assert call.params["url"] == "https://firevoice.example.org/tg"
        secret = str(call.params["secret_token"])
        person = Person(telegram)
        update = {"update_id": 1, **person.message_update("/help")}
        url = f"http://127.0.0.1:{unused_tcp_port}/tg"
        async with aiohttp.ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.post(url, json=update) as refused:
                        assert refused.status == 401
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.2)
            async with http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            ) as wrong:
                assert wrong.status == 401
            assert person.chat == []
            async with http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            ) as ok:
                assert ok.status == 200
        await person.expect("anonymous surveys")
    finally:
        await process.stop()
    assert "refused a webhook request" in process.output()


async def test_a_webhook_update_whose_changes_cannot_be_saved_is_not_acknowledged(
    telegram: FakeTelegram, service: Service, tmp_path: Path, unused_tcp_port: int
) -> None:
    from sqlalchemy import text

    await service.open("staff_pulse")
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(telegram, api_url, tmp_path, bot_env(api_url, service, tmp_path))
    await start_webhook(process, unused_tcp_port)
    # The database refuses to store conversations, as a full disk would.
    async with service.engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON conversation_states "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    try:
        await telegram.wait_until(lambda: bool(telegram.calls_of("setWebhook")), timeout=60)
        [call] = telegram.calls_of("setWebhook")
        headers = {"X-Telegram-Bot-Api-Secret-Token": str(call.params["secret_token"])}
        person = Person(telegram)
        update = {"update_id": 41, **person.message_update("/start")}
        url = f"http://127.0.0.1:{unused_tcp_port}/telegram"

        async def deliver() -> int:
            async with aiohttp.ClientSession() as http:
                for _ in range(50):
                    try:
                        async with http.post(url, json=update, headers=headers) as answer:
                            return answer.status
                    except aiohttp.ClientConnectorError:
                        await asyncio.sleep(0.2)
            raise AssertionError("the webhook never answered")

        # Not acknowledged: Telegram will deliver it again. The person is told, nothing kept.
        assert await deliver() == 500
        await person.expect("Sorry")
        assert await service.rows("SELECT * FROM seen_updates") == []
        assert not any("Do you agree" in m.text for m in person.chat)
        async with service.engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER refuse"))
        # Delivered again, it is handled; delivered a third time, it changes nothing.
        assert await deliver() == 200
        await person.expect("Do you agree")
        assert await deliver() == 200
        assert sum("Do you agree" in m.text for m in person.chat) == 1
        assert await service.rows("SELECT update_id FROM seen_updates") == [(41,)]
    finally:
        await process.stop()
    # The failure is logged by name; the database's message, which quotes the row, is not.
    assert "CommitFailed: IntegrityError" in process.output()
    assert "parameters" not in process.output() and "INSERT" not in process.output()


async def test_killing_the_bot_during_a_burst_of_taps_loses_none_and_repeats_none(
    telegram: FakeTelegram, service: Service, bot: BotProcess
) -> None:
    await service.open("staff_pulse")
    people = [Person(telegram) for _ in range(50)]
    await asyncio.gather(*(start_pulse(p, service) for p in people))
    marks = [p.mark() for p in people]
    pressed = len(telegram.calls_of("answerCallbackQuery"))
    # Everyone taps "Agree" on question 1 at once; the bot is killed (SIGKILL) while it is
    # handling the burst, then started again.
    for person in people:
        question = person.last()
        await person.send_raw(
            person.callback_update(question, person.find_button("Agree", question)[1])
        )
    await telegram.wait_until(
        lambda: len(telegram.calls_of("answerCallbackQuery")) >= pressed + 5, timeout=30
    )
    assert bot.process is not None
    bot.process.kill()
    await bot.process.wait()
    await bot.start()
    # Every tap took effect: everyone is at question 2...
    for person, mark in zip(people, marks, strict=True):
        await person.expect("Question 2 of", since=mark, timeout=30)
    # ...and exactly once: each finishes with one response, question 1 answered "agree".
    await asyncio.gather(*(answer_everything(p) for p in people))
    assert await service.rows("SELECT count(*) FROM participations") == [(50,)]
    answers = await service.rows(
        "SELECT option, count(*) FROM answers WHERE question_key = 'values_lived' GROUP BY option"
    )
    assert answers == [("agree", 50)]


def redis_url() -> str:
    url = os.environ.get("FIREVOICE_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            raise AssertionError("CI=true but FIREVOICE_TEST_REDIS_URL is not set")
        pytest.skip("set FIREVOICE_TEST_REDIS_URL to run the Redis tests")
    return url


async def test_with_redis_conversations_stay_sealed_in_the_database_and_survive_a_restart(
    telegram: FakeTelegram, service: Service, tmp_path: Path
) -> None:
    from redis.asyncio import Redis

    url = redis_url()
    redis = Redis.from_url(url)
    await redis.flushdb()
    await service.open("staff_pulse")
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(
        telegram, api_url, tmp_path, bot_env(api_url, service, tmp_path, FIREVOICE_REDIS_URL=url)
    )
    await process.start()
    try:
        person = Person(telegram)
        await start_pulse(person, service)
        await person.press("Agree")
        question_2 = await person.expect("Question 2 of")
        # Redis only keeps one person's updates in order (under pseudonymous keys); the
        # conversation is in the database, in the update's own transaction, sealed.
        keys = [k.decode() for k in await redis.keys("*")]
        assert not any(str(person.id) in k for k in keys)
        [(sealed,)] = await service.rows("SELECT sealed FROM conversation_states")
        assert "agree" not in sealed and "values_lived" not in sealed
        await process.stop()
        await process.start()
        mark = person.mark()
        await person.press("Disagree", question_2)
        await person.expect("Question 3 of", since=mark)
        await answer_everything(person)
    finally:
        await process.stop()
        await redis.flushdb()
        await redis.aclose()
    answers = await answers_stored(service)
    assert answers["values_lived"] == "agree" and answers["treated_fairly"] == "disagree"
