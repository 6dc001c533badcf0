"""The chat conversation: link -> consent -> equality monitoring -> unit -> questions -> thanks.

The Telegram side of the conversation. Handlers build a Chat (bot/chat.py) for each
update and call one of the functions here. Which phase comes next and which presses count
are decided by surveys/dialogue.py, the questions by surveys/engine.py, what each screen
says by bot/screens.py. Where a conversation is and the answers so far are kept sealed in
the database, in the update's own transaction (bot/state.py), so a restart loses nothing.
Messages go out after the commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import screens
from bot.chat import Chat
from bot.i18n import LANGUAGE_NAMES, SUPPORTED, t
from bot.keyboards import button, question_keyboard, rows
from storage import services
from storage.models import Wave
from storage.rows import wave_survey
from surveys import dialogue, engine
from surveys.dialogue import ASKING, BUSY, PICKING, RESUMABLE, Facts, Phase, Press, current_step
from surveys.engine import Answer, InvalidAnswer, NotAllowed, State
from surveys.equality import MONITORING_SURVEY_KEY, empty_snapshot, snapshot
from surveys.links import LinkTarget
from surveys.model import PREFER_NOT_TO_SAY, QuestionType, Survey
from surveys.text import localise

# --- serialising answers into the conversation -------------------------------------------


def to_json(answers: dict[str, Answer]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def from_json(survey: Survey, raw: dict[str, Any] | None) -> State:
    answers: dict[str, Answer] = {}
    for key, value in (raw or {}).items():
        answers[key] = tuple(value) if isinstance(value, list) else value
    return State().with_answers(engine.prune(survey, answers))


# --- surveys for a conversation ----------------------------------------------------------------


# A wave's survey never changes once the wave is open (it is frozen on the wave's row), so
# each process reads and validates it once.
_frozen: dict[int, Survey] = {}


async def frozen_survey(chat: Chat, wave_id: int) -> Survey | None:
    if wave_id not in _frozen:
        wave = await chat.uow.waves.get(wave_id)
        if wave is None:
            return None
        _frozen[wave_id] = wave_survey(wave)
    return _frozen[wave_id]


def monitoring_survey(chat: Chat) -> Survey | None:
    return chat.app.monitoring


async def current_survey(chat: Chat, data: dict[str, Any]) -> Survey | None:
    if data.get("phase") in (Phase.MONITORING, Phase.PROFILE_MONITORING):
        return monitoring_survey(chat)
    if data.get("wave_id") is None:
        return None
    return await frozen_survey(chat, int(data["wave_id"]))


def answers_key(data: dict[str, Any]) -> str:
    return "mon" if data.get("phase") in (Phase.MONITORING, Phase.PROFILE_MONITORING) else "answers"


# --- starting -----------------------------------------------------------------------------------


async def start(chat: Chat, target: LinkTarget | None) -> None:
    """/start, with the target of a verified deep link or none."""
    data = await chat.data()
    language = await chat.language()
    if data.get("phase") in RESUMABLE:
        await chat.send(t("welcome_back", language))
        await show(chat, data)
        return
    waves = await services.open_waves(chat.uow, today=date.today())
    waves = [w for w in waves if w.survey_key != MONITORING_SURVEY_KEY]
    if target is not None:
        waves = [w for w in waves if w.survey_key == target.survey_key]
        if not waves:
            await chat.send(t("survey_unavailable", language))
            return
        if target.unit_code is not None:
            fitting = []
            for wave in waves:
                _, units = await services.wave_units(chat.uow, wave.id)
                if target.unit_code in units:
                    fitting.append(wave)
            if not fitting:
                await chat.send(t("unit_not_in_wave", language))
                return
            waves = fitting
        await begin_wave(chat, max(waves, key=lambda w: w.id), target.unit_code)
        return
    if not waves:
        await chat.send(t("no_open_surveys", language))
        return
    if len(waves) == 1:
        await begin_wave(chat, waves[0], None)
        return
    data = {"phase": Phase.CHOOSE_WAVE, "step": current_step(data) + 1}
    keyboard = rows(
        *[
            [
                button(
                    localise(wave_survey(w).title, language),
                    data["step"],
                    "wave",
                    str(w.id),
                )
            ]
            for w in waves
        ]
    )
    await chat.save(data)
    await chat.send(t("choose_survey", language), keyboard)


async def choose_wave(chat: Chat, wave_id: str) -> None:
    waves = {str(w.id): w for w in await services.open_waves(chat.uow, today=date.today())}
    if wave_id not in waves:
        await chat.send(t("survey_unavailable", await chat.language()))
        await chat.clear()
        return
    await begin_wave(chat, waves[wave_id], None)


async def on_invite(chat: Chat, wave_id: str) -> None:
    """An invitation's start button: the wave, for the person's home unit if it is in the
    wave's audience (else they pick one)."""
    waves = {str(w.id): w for w in await services.open_waves(chat.uow, today=date.today())}
    if wave_id not in waves:
        await chat.send(t("survey_unavailable", await chat.language()))
        return
    wave = waves[wave_id]
    home = await chat.home_unit()
    _, units = await services.wave_units(chat.uow, wave.id)
    await begin_wave(chat, wave, home if home in units else None)


async def begin_wave(chat: Chat, wave: Wave, unit_code: str | None) -> None:
    language = await chat.language()
    if await chat.uow.participations.exists(wave.id, chat.pseudonym):
        await chat.clear()
        await chat.send(t("already_answered", language))
        return
    old = await chat.data()
    data: dict[str, Any] = {
        "wave_id": wave.id,
        "unit_code": unit_code,
        "answers": {},
        "step": current_step(old),
        "k_unit": wave.k_unit,
        "k_char": wave.k_characteristic,
    }
    if "lang" in old:
        data["lang"] = old["lang"]
    await enter(chat, data, dialogue.on_begin(await facts(chat, data)))


# --- moving between phases (surveys/dialogue.py decides which) ---------------------------


async def facts(chat: Chat, data: dict[str, Any]) -> Facts:
    """What the route depends on, for surveys/dialogue.py."""
    person = await chat.person()
    return Facts(
        consented=person is not None and person.consented,
        monitoring_offered=person is not None and person.monitoring != "not_offered",
        monitoring_available=monitoring_survey(chat) is not None,
        unit_known=data.get("unit_code") is not None,
    )


async def enter(chat: Chat, data: dict[str, Any], phase: Phase | None) -> None:
    """Move the conversation into a phase, with what that phase starts from, and show it;
    None ends the conversation."""
    if phase is None:
        await chat.clear()
        return
    data["phase"] = phase
    if phase in (Phase.MONITORING, Phase.PROFILE_MONITORING):
        data["mon"] = {}
    else:
        data.pop("mon", None)
    if phase == Phase.UNIT:
        data["unit_node"], data["unit_page"] = None, 0
    else:
        data.pop("unit_node", None)
        data.pop("unit_page", None)
    if phase == Phase.SURVEY:
        await remember_home_unit(chat, str(data["unit_code"]))
    await show(chat, data, intro=True)


async def remember_home_unit(chat: Chat, code: str) -> None:
    """The first unit someone answers for becomes their home unit (for invitations), if
    they agreed to be messaged; /profile changes it."""
    person = await chat.person()
    if person is not None and person.contact_ok and person.home_unit_sealed is None:
        await chat.update_person(home_unit=code)


async def show(chat: Chat, data: dict[str, Any], *, intro: bool = False) -> None:
    """Show the phase the conversation is in: its question, its buttons or the picker.
    Also after a restart, a /start or a redelivered update, to show it again."""
    phase = data.get("phase")
    language = await chat.language()
    if phase in ASKING:
        survey = await current_survey(chat, data)
        if survey is None:
            await chat.clear()
            await chat.send(t("survey_unavailable", language))
            return
        await ask_next(chat, data, survey, intro=intro)
    elif phase in PICKING:
        await show_units(chat, data)
    elif phase in screens.CHOICES:
        await ask_choice(chat, data, Phase(phase))
    else:
        await chat.clear()
        await chat.send(t("help", language))


async def ask_choice(chat: Chat, data: dict[str, Any], phase: Phase) -> None:
    language = await chat.language()
    step = await chat.next_step(data)
    await chat.save(data)
    if phase == Phase.CONSENT:
        await chat.send(privacy_notice(chat, data, language))
    await chat.send(*screens.choice(phase, step, language))


async def mark_choice(chat: Chat, phase: Phase, yes: bool, message_id: int | None) -> None:
    """Replace a yes/no question's buttons with the answer given."""
    if message_id:
        await chat.edit(message_id, screens.chosen(phase, yes, await chat.language()))


def privacy_notice(chat: Chat, data: dict[str, Any], language: str) -> str:
    k_unit, k_char = int(data.get("k_unit", 5)), int(data.get("k_char", 10))
    return screens.privacy_notice(chat.app.settings, k_unit, k_char, language)


async def on_consent(chat: Chat, agreed: bool, message_id: int | None) -> None:
    data = await chat.data()
    await mark_choice(chat, Phase.CONSENT, agreed, message_id)
    following = dialogue.on_consent(agreed)
    if following is None:
        await chat.clear()
        await chat.send(t("consent_declined", await chat.language()))
        return
    await chat.update_person(consented=True, language=data.get("lang"))
    await enter(chat, data, following)


async def on_contact(chat: Chat, agreed: bool, message_id: int | None) -> None:
    data = await chat.data()
    await mark_choice(chat, Phase.CONTACT, agreed, message_id)
    changes: dict[str, Any] = {
        "contact_ok": agreed,
        "contact_active": agreed,
        "contact_chat_id": chat.chat_id if agreed else None,
        # The question covers results messages too ("you said, we did").
        "results_ok": True if agreed else None,
    }
    if not agreed:
        changes["home_unit"] = None
    await chat.update_person(**changes)
    then = data.pop("then", None)
    await enter(chat, data, dialogue.after_contact(await facts(chat, data), then))


async def on_monitoring_offer(chat: Chat, accepted: bool, message_id: int | None) -> None:
    data = await chat.data()
    await mark_choice(chat, Phase.MONITORING_OFFER, accepted, message_id)
    if not accepted:
        await chat.update_person(monitoring="declined")
    await enter(chat, data, dialogue.on_monitoring_offer(accepted, await facts(chat, data)))


# --- choosing a unit ------------------------------------------------------------------------------


async def unit_choices(
    chat: Chat, data: dict[str, Any]
) -> tuple[list[str], dict[str, services.UnitInfo]]:
    """The units to pick from: the wave's audience as it opened, or for a home unit the
    organisation as it is now."""
    if data.get("phase") == Phase.HOME_UNIT:
        return await services.org_units(chat.uow)
    return await services.wave_units(chat.uow, int(data["wave_id"]))


async def show_units(chat: Chat, data: dict[str, Any], search: str | None = None) -> None:
    language = await chat.language()
    roots, units = await unit_choices(chat, data)
    node = data.get("unit_node")
    if node is None and len(roots) == 1 and units[roots[0]].children:
        node = roots[0]  # a single service: start at its areas
    data["unit_node"] = node
    step = await chat.next_step(data)
    await chat.save(data)
    if search is not None:
        await chat.send(*screens.unit_search(units, search, step, language))
    else:
        page = int(data.get("unit_page", 0))
        await chat.send(*screens.unit_page(roots, units, node, page, step, language))


async def on_unit_button(chat: Chat, kind: str, value: str, message_id: int | None) -> None:
    data = await chat.data()
    language = await chat.language()
    _, units = await unit_choices(chat, data)
    if kind == "upage":
        if not value.isdigit():
            return
        data["unit_page"] = int(value)
        await show_units(chat, data)
        return
    if value not in units:
        await chat.send(t("invalid_button", language))
        return
    if kind == "uopen":
        data["unit_node"] = value
        data["unit_page"] = 0
        await show_units(chat, data)
        return
    if message_id:
        await chat.edit(message_id, t("unit_chosen", language, name=units[value].name))
    if data.get("phase") == Phase.HOME_UNIT:
        await chat.update_person(home_unit=value)
        await chat.clear()
        await chat.send(t("home_unit_set", language, name=units[value].name))
        return
    data["unit_code"] = value
    await enter(chat, data, dialogue.after_monitoring(await facts(chat, data)))


# --- asking questions --------------------------------------------------------------------------


async def ask_next(
    chat: Chat, data: dict[str, Any], survey: Survey, *, intro: bool = False
) -> None:
    """Send the next question of the current phase, or finish the phase."""
    language = await chat.language()
    state = from_json(survey, data.get(answers_key(data)))
    question = engine.next_question(survey, state)
    if question is None:
        await finish_phase(chat, data, survey, state)
        return
    if intro and survey.intro and not state.answers:
        await chat.send(f"{localise(survey.title, language)}\n\n{localise(survey.intro, language)}")
    step = await chat.next_step(data)
    data["sel"] = []
    await chat.save(data)
    keyboard = question_keyboard(question, step, language, can_go_back=bool(state.answers))
    text = screens.question_text(survey, state, question, language)
    await chat.send(text, keyboard, question=True)


async def show_again(chat: Chat) -> None:
    """After a redelivered update: show the question the person is at, if any (the first
    delivery's reply may have been lost with the process that handled it)."""
    data = await chat.data()
    if data.get("phase") in (*ASKING, *PICKING):
        await show(chat, data)


async def record(chat: Chat, value: object, message_id: int | None) -> str | None:
    """Record an answer to the current question; returns a notice if it was refused."""
    data = await chat.data()
    language = await chat.language()
    survey = await current_survey(chat, data)
    if survey is None:
        return t("invalid_button", language)
    state = from_json(survey, data.get(answers_key(data)))
    question = engine.next_question(survey, state)
    if question is None:
        return t("stale_button", language)
    try:
        state = engine.answer(survey, state, question.key, value)
    except InvalidAnswer:
        return t("invalid_button", language)
    except NotAllowed:
        return t("stale_button", language)
    data[answers_key(data)] = to_json(dict(state.answers))
    edit_id = message_id or chat.shown_question()
    if edit_id:
        await chat.edit(
            int(edit_id),
            localise(question.text, language)
            + "\n\n"
            + screens.format_answer(question, state.answers[question.key], language),
        )
    await ask_next(chat, data, survey)
    return None


async def on_answer_button(chat: Chat, index: str, message_id: int | None) -> str | None:
    data = await chat.data()
    survey = await current_survey(chat, data)
    language = await chat.language()
    if survey is None:
        return t("invalid_button", language)
    question = engine.next_question(survey, from_json(survey, data.get(answers_key(data))))
    if question is None or not index.isdigit() or int(index) >= len(question.choices()):
        return t("invalid_button", language)
    option = question.choices()[int(index)]
    value: object = option.key
    if question.type == QuestionType.SCALE_0_10 and option.key != PREFER_NOT_TO_SAY:
        value = int(option.key)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return t("invalid_button", language)
    return await record(chat, value, message_id)


async def on_toggle(chat: Chat, index: str, message_id: int | None) -> str | None:
    data = await chat.data()
    language = await chat.language()
    survey = await current_survey(chat, data)
    if survey is None:
        return t("invalid_button", language)
    state = from_json(survey, data.get(answers_key(data)))
    question = engine.next_question(survey, state)
    if (
        question is None
        or question.type != QuestionType.MULTIPLE_CHOICE
        or not index.isdigit()
        or int(index) >= len(question.choices())
    ):
        return t("invalid_button", language)
    key = question.choices()[int(index)].key
    selected: list[str] = list(data.get("sel", []))
    if key in selected:
        selected.remove(key)
    elif key == PREFER_NOT_TO_SAY:
        selected = [key]
    else:
        selected = [k for k in selected if k != PREFER_NOT_TO_SAY] + [key]
        if question.max_choices is not None and len(selected) > question.max_choices:
            return t("too_many", language, max=question.max_choices)
    data["sel"] = selected
    step = await chat.next_step(data)
    await chat.save(data)
    if message_id:
        keyboard = question_keyboard(
            question, step, language, can_go_back=bool(state.answers), selected=selected
        )
        await chat.edit(message_id, None, keyboard)
    return None


async def on_done(chat: Chat, message_id: int | None) -> str | None:
    data = await chat.data()
    if not data.get("sel"):
        return t("choose_one_first", await chat.language())
    return await record(chat, list(data["sel"]), message_id)


async def on_skip(chat: Chat, message_id: int | None) -> str | None:
    data = await chat.data()
    language = await chat.language()
    survey = await current_survey(chat, data)
    if survey is None:
        return t("invalid_button", language)
    state = from_json(survey, data.get(answers_key(data)))
    question = engine.next_question(survey, state)
    try:
        state = engine.skip(survey, state)
    except NotAllowed:
        return t("invalid_button", language)
    data[answers_key(data)] = to_json(dict(state.answers))
    edit_id = message_id or chat.shown_question()
    if edit_id and question is not None:
        await chat.edit(
            int(edit_id), localise(question.text, language) + "\n\n" + t("skipped", language)
        )
    await ask_next(chat, data, survey)
    return None


async def on_back(chat: Chat, message_id: int | None) -> str | None:
    data = await chat.data()
    language = await chat.language()
    survey = await current_survey(chat, data)
    if survey is None:
        return t("invalid_button", language)
    state = from_json(survey, data.get(answers_key(data)))
    question = engine.next_question(survey, state)
    try:
        state = engine.back(survey, state)
    except NotAllowed:
        return t("invalid_button", language)
    data[answers_key(data)] = to_json(dict(state.answers))
    edit_id = message_id or chat.shown_question()
    if edit_id and question is not None:
        await chat.edit(
            int(edit_id), localise(question.text, language) + "\n\n" + t("went_back", language)
        )
    await ask_next(chat, data, survey)
    return None


async def on_text(chat: Chat, text: str) -> None:
    """A typed message: a free-text answer, a unit search, or a nudge towards the buttons."""
    data = await chat.data()
    language = await chat.language()
    phase = data.get("phase")
    if phase in PICKING:
        await show_units(chat, data, search=text)
        return
    if phase in ASKING:
        survey = await current_survey(chat, data)
        state = from_json(survey, data.get(answers_key(data))) if survey else State()
        question = engine.next_question(survey, state) if survey else None
        if question is not None and question.type == QuestionType.FREE_TEXT:
            cleaned = text.strip()
            if not cleaned:
                await chat.send(t("text_empty", language))
            elif len(cleaned) > question.max_length:
                await chat.send(
                    t("text_too_long", language, length=len(cleaned), max=question.max_length)
                )
            else:
                await record(chat, cleaned, None)
            return
        if question is not None:
            await chat.send(t("use_buttons", language))
            return
    if phase is None:
        await chat.send(t("help", language))
        return
    await chat.send(t("use_buttons", language))


# --- finishing ---------------------------------------------------------------------------------


async def finish_phase(chat: Chat, data: dict[str, Any], survey: Survey, state: State) -> None:
    language = await chat.language()
    phase = data.get("phase")
    if phase in (Phase.MONITORING, Phase.PROFILE_MONITORING):
        await chat.update_person(monitoring="answered", profile=to_json(dict(state.answers)))
        await chat.send(t("monitoring_saved", language))
        await enter(chat, data, dialogue.after_questions(Phase(phase), await facts(chat, data)))
        return
    profile = await chat.profile()
    monitoring = monitoring_survey(chat)
    if profile and monitoring is not None:
        snap = snapshot(from_json(monitoring, profile).answers)
    else:
        snap = empty_snapshot()
    today = date.today()
    submitted = await services.submit_in(
        chat.uow,
        chat.app.batching,
        wave_id=int(data["wave_id"]),
        unit_code=str(data["unit_code"]),
        pseudonym=chat.pseudonym,
        answers=dict(state.answers),
        snapshot=snap,
        today=today,
    )
    outcome = submitted.outcome
    wave_id, pool = submitted.wave_id, submitted.pool
    if wave_id is not None and pool is not None:
        app = chat.app

        async def release() -> None:
            await services.release_if_full(app.sessions, app.batching, wave_id, pool, today=today)

        chat.tap.after(release)
    await chat.clear()
    if outcome == services.SubmitOutcome.ALREADY_ANSWERED:
        await chat.send(t("already_answered", language))
    elif outcome == services.SubmitOutcome.WAVE_CLOSED:
        await chat.send(t("wave_closed", language))
    else:
        # A survey's own thank-you says what happens next in its own words.
        if survey.thank_you:
            await chat.send(localise(survey.thank_you, language))
        else:
            k = data.get("k_unit", 5)
            await chat.send(t("thank_you", language) + "\n\n" + t("what_next", language, k=k))


# --- commands ----------------------------------------------------------------------------------


async def cancel(chat: Chat) -> None:
    data = await chat.data()
    language = await chat.language()
    if not data.get("phase"):
        await chat.send(t("nothing_to_cancel", language))
        return
    await chat.clear()
    await chat.send(t("cancelled", language))


async def show_profile(chat: Chat) -> None:
    """The person's equality answers and, if they agreed to be messaged, their home unit,
    with buttons to change either (not in the middle of a survey)."""
    language = await chat.language()
    profile = await chat.profile()
    data = await chat.data()
    survey = monitoring_survey(chat)
    busy = data.get("phase") in BUSY
    step = await chat.next_step(data)
    if not busy:
        data["phase"] = Phase.PROFILE
    await chat.save(data)
    layout: list[list[Any]] = []
    if not profile or survey is None:
        text = t("profile_none", language)
        if survey is not None:
            layout.append([button(t("profile_answer", language), step, Press.PROFILE, "change")])
    else:
        text = screens.profile(survey, from_json(survey, profile), language)
        layout.append([button(t("profile_change", language), step, Press.PROFILE, "change")])
        layout.append([button(t("profile_delete", language), step, Press.PROFILE, "delete")])
    person = await chat.person()
    if person is not None and person.contact_ok:
        code = await chat.home_unit()
        _, units = await services.org_units(chat.uow)
        text += "\n\n" + (
            t("profile_home_unit", language, name=units[code].name)
            if code in units
            else t("profile_no_home_unit", language)
        )
        layout.append([button(t("profile_change_unit", language), step, Press.PROFILE, "unit")])
    await chat.send(text, None if busy else rows(*layout))


async def on_profile_button(chat: Chat, value: str) -> None:
    language = await chat.language()
    data = await chat.data()
    if data.get("phase") in BUSY:
        await chat.send(t("profile_busy", language))
        return
    if value == "delete":
        await chat.update_person(profile=None, monitoring="declined")
        await chat.clear()
        await chat.send(t("profile_deleted", language))
        return
    if value == "unit":
        person = await chat.person()
        if person is None or not person.contact_ok:
            return
        await enter(chat, {"step": current_step(data)}, Phase.HOME_UNIT)
        return
    if monitoring_survey(chat) is None:
        return
    data = {"step": current_step(data)}
    # Equality answers are special category data: for someone who has not consented, the
    # privacy notice and consent come first, as before a survey, then the questions.
    following = dialogue.on_begin(await facts(chat, data), then=Phase.PROFILE_MONITORING)
    if following == Phase.CONSENT:
        data["then"] = Phase.PROFILE_MONITORING
    await enter(chat, data, following)


async def on_results_welcome(chat: Chat, welcome: bool) -> None:
    """The answer to the one-time question whether results messages are welcome."""
    person = await chat.person()
    language = await chat.language()
    if person is None or not person.contact_active:
        await chat.send(t("stopped", language))  # stopped since: nothing will come
        return
    await chat.update_person(results_ok=welcome)
    await chat.send(t("results_welcome" if welcome else "results_not_welcome", language))


async def stop_messages(chat: Chat) -> None:
    """/stop: no more messages from the bot (invitations, reminders, results) until the
    person agrees again. What they answered stays; nothing else changes."""
    await stop_contact(chat)
    await chat.send(t("stopped", await chat.language()))


async def stop_contact(chat: Chat) -> None:
    """Forget the way to message this person (chat id, home unit) and their agreement."""
    person = await chat.person()
    if person is not None and (
        person.contact_ok
        or person.contact_active
        or person.contact_sealed is not None
        or person.home_unit_sealed is not None
    ):
        await chat.update_person(
            contact_ok=False,
            contact_active=False,
            contact_chat_id=None,
            home_unit=None,
            results_ok=None,
        )


async def ask_erase(chat: Chat) -> None:
    language = await chat.language()
    data = await chat.data()
    step = await chat.next_step(data)
    data["erase_return"] = data.get("phase")
    data["phase"] = Phase.ERASE
    await chat.save(data)
    await chat.send(
        t("erase_confirm", language),
        rows(
            [
                button(t("erase_yes", language), step, "erase", "yes"),
                button(t("erase_no", language), step, "erase", "no"),
            ]
        ),
    )


async def on_erase(chat: Chat, confirmed: bool, message_id: int | None) -> None:
    language = await chat.language()
    if message_id:
        label = t("erase_yes", language) if confirmed else t("erase_no", language)
        await chat.edit(message_id, t("erase_confirm", language) + "\n✔ " + label)
    if not confirmed:
        data = await chat.data()
        data["phase"] = data.pop("erase_return", None)
        if data["phase"] is None:
            await chat.clear()
        else:
            await chat.save(data)
        await chat.send(t("erase_kept", language))
        return
    await services.erase_person(chat.uow, chat.pseudonym)
    await chat.clear()
    await chat.send(t("erased", language))


async def ask_language(chat: Chat) -> None:
    data = await chat.data()
    step = await chat.next_step(data)
    await chat.save(data)
    await chat.send(
        t("choose_language", await chat.language()),
        rows([button(LANGUAGE_NAMES[code], step, "lang", code) for code in SUPPORTED]),
    )


async def on_language(chat: Chat, code: str) -> None:
    if code not in SUPPORTED:
        return
    person = await chat.person()
    if person is not None:
        await chat.update_person(language=code)
    else:
        data = await chat.data()
        data["lang"] = code
        await chat.save(data)
    await chat.send(t("language_set", code))
