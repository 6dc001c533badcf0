"""Which button presses count (surveys/dialogue.py): no bot needed."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.dialogue import ALLOWED, ASKING, Phase, Press, accepts, current_step, next_step


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
