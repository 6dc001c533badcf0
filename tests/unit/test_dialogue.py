"""Where a conversation goes and which presses count (surveys/dialogue.py): no bot needed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from surveys.dialogue import (
    ALLOWED,
    ASKING,
    Facts,
    Phase,
    Press,
    accepts,
    after_contact,
    after_monitoring,
    after_questions,
    current_step,
    next_step,
    on_begin,
    on_consent,
    on_monitoring_offer,
)


def at(phase: Phase, step: int = 40) -> dict[str, Any]:
    return {"phase": phase.value, "step": step}


@pytest.mark.parametrize("phase", list(ASKING))
def test_answer_buttons_count_only_while_questions_are_asked(phase: Phase) -> None:
    for kind in ("ans", "tog", "done", "skip", "back"):
        assert accepts(at(phase), kind, 40)
        assert not accepts(at(Phase.CONSENT), kind, 40)
        assert not accepts(at(Phase.UNIT), kind, 40)


def test_a_press_from_an_earlier_screen_or_a_second_tap_does_not_count() -> None:
    conversation = at(Phase.SURVEY, 40)
    assert accepts(conversation, "ans", 40)
    assert next_step(conversation) == 41  # the answer moves the conversation on
    assert not accepts(conversation, "ans", 40)  # the same button pressed again
    assert not accepts(conversation, "ans", 39)  # a question further back


def test_each_phase_takes_only_its_own_buttons() -> None:
    assert accepts(at(Phase.CONSENT), "consent", 40)
    assert not accepts(at(Phase.CONTACT), "consent", 40)
    assert accepts(at(Phase.UNIT), "upick", 40)
    assert not accepts(at(Phase.SURVEY), "upick", 40)
    assert accepts(at(Phase.ERASE), "erase", 40)
    assert not accepts(at(Phase.PROFILE), "erase", 40)
    # The language can be changed whatever the conversation is doing, even with none.
    assert accepts(at(Phase.SURVEY), "lang", 40)
    assert accepts({"step": 40}, "lang", 40)


def test_forged_kinds_and_conversations_without_a_step_take_nothing() -> None:
    assert not accepts(at(Phase.SURVEY), "admin", 40)
    assert not accepts({}, "ans", 0)
    assert not accepts({"phase": "survey"}, "ans", 0)


def test_every_kind_of_press_has_its_phases() -> None:
    assert set(ALLOWED) == set(Press)


def test_a_new_conversation_starts_at_a_random_step() -> None:
    starts = {current_step({}) for _ in range(20)}
    assert len(starts) > 1  # old buttons from a cleared conversation cannot line up
    conversation: dict[str, Any] = {}
    first = current_step(conversation)
    assert current_step(conversation) == first  # and keeps it


# --- the route through a survey ------------------------------------------------------------

NEWCOMER = Facts()  # never consented, never offered the equality questions, no unit yet
REGULAR = Facts(consented=True, monitoring_offered=True, unit_known=True)


def walk(facts: Facts, *answers: bool) -> list[Phase | None]:
    """Follow the route from the start, answering each yes/no question in turn, and then
    the questions of each phase, as the adapter does. The facts change as a person would."""
    phases: list[Phase | None] = [on_begin(facts)]
    replies = list(answers)
    while phases[-1] is not None and phases[-1] != Phase.SURVEY:
        phase = phases[-1]
        if phase == Phase.CONSENT:
            following = on_consent(replies.pop(0))
            facts = replace(facts, consented=True)
        elif phase == Phase.CONTACT:
            replies.pop(0)
            following = after_contact(facts)
        elif phase == Phase.MONITORING_OFFER:
            following = on_monitoring_offer(replies.pop(0), facts)
            facts = replace(facts, monitoring_offered=True)
        elif phase == Phase.UNIT:
            facts = replace(facts, unit_known=True)
            following = after_monitoring(facts)
        else:
            following = after_questions(phase, facts)
        phases.append(following)
    return phases


def test_a_newcomer_goes_through_consent_contact_equality_questions_and_unit() -> None:
    assert walk(NEWCOMER, True, True, True) == [
        Phase.CONSENT,
        Phase.CONTACT,
        Phase.MONITORING_OFFER,
        Phase.MONITORING,
        Phase.UNIT,
        Phase.SURVEY,
    ]


def test_declining_consent_ends_the_conversation_there() -> None:
    assert walk(NEWCOMER, False) == [Phase.CONSENT, None]


def test_skipping_the_equality_questions_goes_straight_on_to_the_unit() -> None:
    assert walk(NEWCOMER, True, False, False) == [
        Phase.CONSENT,
        Phase.CONTACT,
        Phase.MONITORING_OFFER,
        Phase.UNIT,
        Phase.SURVEY,
    ]


def test_someone_who_has_been_through_it_before_starts_at_the_questions() -> None:
    assert walk(REGULAR) == [Phase.SURVEY]
    # A link without a unit: only the unit picker comes first.
    assert walk(replace(REGULAR, unit_known=False)) == [Phase.UNIT, Phase.SURVEY]


def test_the_equality_questions_are_offered_once_and_only_if_there_are_any() -> None:
    offered_before = Facts(consented=True, monitoring_offered=True)
    assert on_begin(offered_before) == Phase.UNIT
    none_to_ask = Facts(consented=True, monitoring_available=False)
    assert on_begin(none_to_ask) == Phase.UNIT
    assert on_monitoring_offer(True, none_to_ask) == Phase.UNIT


def test_profile_questions_come_after_consent_for_a_newcomer_and_at_once_otherwise() -> None:
    assert on_begin(NEWCOMER, then=Phase.PROFILE_MONITORING) == Phase.CONSENT
    assert on_consent(True) == Phase.CONTACT
    after = after_contact(replace(NEWCOMER, consented=True), then=Phase.PROFILE_MONITORING)
    assert after == Phase.PROFILE_MONITORING
    assert on_begin(REGULAR, then=Phase.PROFILE_MONITORING) == Phase.PROFILE_MONITORING
    # Saving them ends the conversation; a survey's equality questions lead on to it.
    assert after_questions(Phase.PROFILE_MONITORING, REGULAR) is None
    assert after_questions(Phase.MONITORING, REGULAR) == Phase.SURVEY
    assert after_questions(Phase.SURVEY, REGULAR) is None


def test_an_invitations_buttons_count_at_any_step_and_in_any_phase() -> None:
    # An invitation belongs to no screen of the conversation: its buttons start or stop.
    for conversation in ({}, at(Phase.SURVEY, 40), at(Phase.CONSENT, 7)):
        assert accepts(conversation, "inv", 0)
        assert accepts(conversation, "stop", 0)
    assert not accepts(at(Phase.SURVEY, 40), "ans", 0)
