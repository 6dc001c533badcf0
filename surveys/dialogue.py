"""Where a chat conversation can be, where it goes next, and which presses count.

Pure rules beside the engine (surveys/engine.py), with no I/O: the Telegram adapter
(bot/conversation.py, bot/handlers/) asks them which phase comes next and whether a press
counts, then shows the phase and stores the conversation.

The route through a survey: the privacy notice and consent (first time only), whether we
may message the person later, the equality questions (offered once), their unit (unless
the link named it), the survey's questions. /profile's equality questions take the same
route as far as consent and contact, then go straight to the questions.

Every screen carries a step number. A press counts only if it carries the conversation's
current step and its kind belongs to the current phase; anything else is an old message, a
second tap on the same button or a forged one, and changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Phase(StrEnum):
    """Where a conversation is. Stored in the sealed conversation as its string value."""

    CONSENT = "consent"  # the privacy notice, waiting for agreement
    CONTACT = "contact"  # may we message you about future surveys?
    MONITORING_OFFER = "monitoring_offer"  # answer the equality questions, or skip them
    MONITORING = "monitoring"  # answering the equality questions before a survey
    PROFILE_MONITORING = "profile_monitoring"  # answering them from /profile
    UNIT = "unit"  # choosing one's unit
    HOME_UNIT = "home_unit"  # choosing one's home unit (for invitations) from /profile
    CHOOSE_WAVE = "choose_wave"  # choosing among several open surveys
    SURVEY = "survey"  # answering a survey
    ERASE = "erase"  # confirming /delete_my_data
    PROFILE = "profile"  # looking at one's equality answers
    LANGUAGE = "language"  # choosing a language


# Phases in which questions are being asked, one after the other.
ASKING = (Phase.SURVEY, Phase.MONITORING, Phase.PROFILE_MONITORING)
# Phases in which a unit is being picked (for a survey, or as one's home unit).
PICKING = (Phase.UNIT, Phase.HOME_UNIT)
# Phases /start brings a person back to ("welcome back") rather than starting afresh.
RESUMABLE = (
    Phase.SURVEY,
    Phase.MONITORING,
    Phase.UNIT,
    Phase.CONSENT,
    Phase.CONTACT,
    Phase.MONITORING_OFFER,
)
# Phases that /profile must not interrupt.
BUSY = (Phase.SURVEY, Phase.MONITORING, Phase.UNIT)


@dataclass(frozen=True)
class Facts:
    """What decides the route, read by the adapter from the person and the conversation."""

    consented: bool = False  # agreed to the privacy notice before
    monitoring_offered: bool = False  # asked the equality questions before (answered or not)
    monitoring_available: bool = True  # this deployment has equality questions to ask
    unit_known: bool = False  # the link named the unit, or the person has picked it


def on_begin(facts: Facts, then: Phase | None = None) -> Phase:
    """A survey begins (or, with `then`, /profile's equality questions)."""
    return Phase.CONSENT if not facts.consented else after_contact(facts, then)


def on_consent(agreed: bool) -> Phase | None:
    """The privacy notice answered: on to the contact question, or stop (None)."""
    return Phase.CONTACT if agreed else None


def after_contact(facts: Facts, then: Phase | None = None) -> Phase:
    """After consent and the contact question (or straight away, for someone who consented
    before): /profile's questions if that is what brought them here, the equality
    questions' offer if never made, then the unit or the survey."""
    if then == Phase.PROFILE_MONITORING and facts.monitoring_available:
        return Phase.PROFILE_MONITORING
    if not facts.monitoring_offered and facts.monitoring_available:
        return Phase.MONITORING_OFFER
    return after_monitoring(facts)


def on_monitoring_offer(accepted: bool, facts: Facts) -> Phase:
    """The equality questions accepted (asked now) or skipped (on to the survey)."""
    if accepted and facts.monitoring_available:
        return Phase.MONITORING
    return after_monitoring(facts)


def after_monitoring(facts: Facts) -> Phase:
    """The survey's questions once the unit is known; the unit picker before that."""
    return Phase.SURVEY if facts.unit_known else Phase.UNIT


def after_questions(phase: Phase, facts: Facts) -> Phase | None:
    """The last question of a phase answered: where next (None: the conversation ends)."""
    if phase == Phase.MONITORING:
        return after_monitoring(facts)
    return None  # a survey submitted, or /profile's questions saved


class Press(StrEnum):
    """The kinds of button the bot makes (the `kind` in their callback data)."""

    CONSENT = "consent"
    CONTACT = "contact"
    MONITORING = "mon"
    WAVE = "wave"
    UNIT_OPEN = "uopen"
    UNIT_PICK = "upick"
    UNIT_PAGE = "upage"
    ANSWER = "ans"
    TOGGLE = "tog"
    DONE = "done"
    SKIP = "skip"
    BACK = "back"
    ERASE = "erase"
    PROFILE = "prof"
    LANGUAGE = "lang"
    INVITE = "inv"  # an invitation's start button
    STOP = "stop"  # an invitation's "no more messages" button
    RESULTS = "res"  # whether results messages are welcome (asked once, bot/followups.py)


# Which phases each kind of press belongs to; None means any phase.
ALLOWED: dict[Press, tuple[Phase, ...] | None] = {
    Press.CONSENT: (Phase.CONSENT,),
    Press.CONTACT: (Phase.CONTACT,),
    Press.MONITORING: (Phase.MONITORING_OFFER,),
    Press.WAVE: (Phase.CHOOSE_WAVE,),
    Press.UNIT_OPEN: PICKING,
    Press.UNIT_PICK: PICKING,
    Press.UNIT_PAGE: PICKING,
    Press.ANSWER: ASKING,
    Press.TOGGLE: ASKING,
    Press.DONE: ASKING,
    Press.SKIP: ASKING,
    Press.BACK: ASKING,
    Press.ERASE: (Phase.ERASE,),
    Press.PROFILE: (Phase.PROFILE,),
    Press.LANGUAGE: None,
    Press.INVITE: None,
    Press.STOP: None,
    Press.RESULTS: None,
}
# Buttons on messages the bot sends unasked (invitations, the question about results
# messages): they belong to no screen of the conversation, so they count whatever its step.
# None records an answer to a survey.
ANY_STEP = frozenset({Press.INVITE, Press.STOP, Press.RESULTS})


def accepts(conversation: Mapping[str, Any], kind: str, step: int) -> bool:
    """Whether a press of this kind, made on a screen of this step, counts now."""
    try:
        press = Press(kind)
    except ValueError:
        return False
    if press in ANY_STEP:
        return True
    allowed = ALLOWED[press]
    if step != conversation.get("step"):
        return False
    return allowed is None or conversation.get("phase") in allowed


def current_step(conversation: MutableMapping[str, Any]) -> int:
    """The conversation's step number, started at random when there is none.

    Clearing a conversation (finished, cancelled, declined) forgets its step. Starting the
    next one from a random number rather than from 0 means the buttons still showing on
    the old messages cannot match the new conversation's steps and be recorded there.
    """
    if "step" not in conversation:
        conversation["step"] = secrets.randbelow(2**31)
    return int(conversation["step"])


def next_step(conversation: MutableMapping[str, Any]) -> int:
    """Move to a new screen: presses on every earlier one stop counting."""
    conversation["step"] = current_step(conversation) + 1
    return int(conversation["step"])
