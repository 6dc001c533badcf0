"""Steps people take in the chat, shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.e2e.fake_telegram import BotMessage, Person

NAVIGATION = ("« Back", "Skip »", "Done ✓", "« Yn ôl", "Hepgor »", "Wedi gorffen ✓")


async def agree_to_terms(person: Person, *, contact: str = "No, thank you") -> None:
    await person.expect("Do you agree to take part")
    await person.press("I agree")
    await person.expect("may we message you")
    await person.press(contact)


async def skip_monitoring(person: Person) -> None:
    await person.expect("equality monitoring questions")
    await person.press("Skip all")


async def answer_everything(
    person: Person,
    finished: str = "Thank you.",
    text: str = "Fine, thanks.",
    limit: int = 40,
    before_each: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Answer each question with its first option (or text) until the bot's closing words.

    The current question is the newest message still showing "Question N of M" (answered
    ones are edited to show the answer instead). `before_each` runs before every answer.
    """
    start = person.mark()
    handled: set[int] = set()

    def current() -> BotMessage | None:
        for index in range(len(person.chat) - 1, -1, -1):
            message = person.chat[index]
            if index >= start and message.text.startswith(finished):
                return message
            if message.text.startswith(("Question", "Cwestiwn")):
                return None if message.message_id in handled else message
        return None

    for _ in range(limit):
        await person.tg.wait_until(lambda: current() is not None)
        last = current()
        assert last is not None
        if last.text.startswith(finished):
            return
        handled.add(last.message_id)
        if before_each is not None:
            await before_each()
        options = [b["text"] for row in last.buttons for b in row if b["text"] not in NAVIGATION]
        if any(b["text"] == "Done ✓" for row in last.buttons for b in row):
            await person.press(options[0], last)
            await person.press("Done ✓", last)
        elif options:
            await person.press(options[0], last)
        else:
            await person.say(text, expect_reply=False)
    raise AssertionError("the survey did not finish")


async def open_link_and_start(person: Person, payload: str) -> None:
    await person.say(f"/start {payload}")
    await agree_to_terms(person)
    await skip_monitoring(person)


async def answer_a_survey(person: Person, link: str, *, contact: str = "No, thank you") -> None:
    """A first-timer opens a survey link, agrees (and answers the contact question with
    `contact`), skips the equality questions and answers everything."""
    await person.say(f"/start {link}")
    await agree_to_terms(person, contact=contact)
    await skip_monitoring(person)
    await answer_everything(person)
