"""Where a chat conversation can be, and which button presses each place accepts.

Pure rules beside the engine (surveys/engine.py), with no I/O: the Telegram adapter
(bot/conversation.py, bot/handlers/) asks them before acting on a press.

Every screen carries a step number. A press counts only if it carries the conversation's
current step and its kind belongs to the current phase; anything else is an old message, a
second tap on the same button or a forged one, and changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, MutableMapping
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
    CHOOSE_WAVE = "choose_wave"  # choosing among several open surveys
    SURVEY = "survey"  # answering a survey
    ERASE = "erase"  # confirming /delete_my_data
    PROFILE = "profile"  # looking at one's equality answers
    LANGUAGE = "language"  # choosing a language


# Phases in which questions are being asked, one after the other.
ASKING = (Phase.SURVEY, Phase.MONITORING, Phase.PROFILE_MONITORING)
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


# Which phases each kind of press belongs to; None means any phase.
ALLOWED: dict[Press, tuple[Phase, ...] | None] = {
    Press.CONSENT: (Phase.CONSENT,),
    Press.CONTACT: (Phase.CONTACT,),
    Press.MONITORING: (Phase.MONITORING_OFFER,),
    Press.WAVE: (Phase.CHOOSE_WAVE,),
    Press.UNIT_OPEN: (Phase.UNIT,),
    Press.UNIT_PICK: (Phase.UNIT,),
    Press.UNIT_PAGE: (Phase.UNIT,),
    Press.ANSWER: ASKING,
    Press.TOGGLE: ASKING,
    Press.DONE: ASKING,
    Press.SKIP: ASKING,
    Press.BACK: ASKING,
    Press.ERASE: (Phase.ERASE,),
    Press.PROFILE: (Phase.PROFILE,),
    Press.LANGUAGE: None,
}


def accepts(conversation: Mapping[str, Any], kind: str, step: int) -> bool:
    """Whether a press of this kind, made on a screen of this step, counts now."""
    try:
        press = Press(kind)
    except ValueError:
        return False
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
