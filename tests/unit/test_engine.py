from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import engine
from surveys.engine import InvalidAnswer, NotAllowed, State
from surveys.loader import SurveyCatalog, parse_survey
from surveys.model import PREFER_NOT_TO_SAY, Question, QuestionType, Survey

BRANCHING = parse_survey(
    """
key: branching
kind: staff_pulse
title: Branching
questions:
  - {key: role, type: single_choice, text: Role, options: [{key: crew, text: Crew}, {key: office, text: Office}]}
  - {key: kit, type: likert, text: Kit is good, show_if: {question: role, values: [crew]}}
  - {key: kit_detail, type: free_text, optional: true, max_length: 20, text: What is wrong, show_if: {question: kit, values: [disagree, strongly_disagree]}}
  - {key: networks, type: multiple_choice, optional: true, max_choices: 2, text: Networks, options: [{key: a, text: A}, {key: b, text: B}, {key: c, text: C}]}
  - {key: score, type: scale_0_10, text: Score}
"""
)


def keys_asked(survey: Survey, state: State) -> str | None:
    question = engine.next_question(survey, state)
    return question.key if question else None


def test_conditions_decide_which_question_comes_next() -> None:
    state = engine.answer(BRANCHING, State(), "role", "office")
    assert keys_asked(BRANCHING, state) == "networks"
    state = engine.answer(BRANCHING, State(), "role", "crew")
    assert keys_asked(BRANCHING, state) == "kit"
    state = engine.answer(BRANCHING, state, "kit", "disagree")
    assert keys_asked(BRANCHING, state) == "kit_detail"


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply() -> None:
    state = State()
    for key, value in [("role", "crew"), ("kit", "disagree"), ("kit_detail", "boots leak")]:
        state = engine.answer(BRANCHING, state, key, value)
    changed = engine.change(BRANCHING, state, "role", "office")
    assert dict(changed.answers) == {"role": "office"}
    assert keys_asked(BRANCHING, changed) == "networks"


def test_back_asks_the_previous_question_again() -> None:
    state = engine.answer(BRANCHING, State(), "role", "crew")
    state = engine.answer(BRANCHING, state, "kit", "agree")
    state = engine.back(BRANCHING, state)
    assert keys_asked(BRANCHING, state) == "kit"
    assert "kit" not in state.answers
    with pytest.raises(NotAllowed):
        engine.back(BRANCHING, State())


def test_only_optional_questions_can_be_skipped() -> None:
    with pytest.raises(NotAllowed, match="needs an answer"):
        engine.skip(BRANCHING, State())
    state = engine.answer(BRANCHING, State(), "role", "office")
    state = engine.skip(BRANCHING, state)
    assert state.answers["networks"] is None
    assert keys_asked(BRANCHING, state) == "score"


def test_answers_are_checked_with_a_reason() -> None:
    q = {q.key: q for q in BRANCHING.questions}
    with pytest.raises(InvalidAnswer, match="not one of the options"):
        engine.validate(q["role"], "chief")
    with pytest.raises(InvalidAnswer, match="at most 2"):
        engine.validate(q["networks"], ["a", "b", "c"])
    with pytest.raises(InvalidAnswer, match="cannot be combined"):
        engine.validate(q["networks"], ["a", PREFER_NOT_TO_SAY])
    with pytest.raises(InvalidAnswer, match="outside the scale"):
        engine.validate(q["score"], 11)
    with pytest.raises(InvalidAnswer, match="limit is 20"):
        engine.validate(q["kit_detail"], "x" * 21)
    with pytest.raises(InvalidAnswer, match="empty"):
        engine.validate(q["kit_detail"], "   ")
    assert engine.validate(q["networks"], ["c", "a", "a"]) == ("a", "c")
    assert engine.parse_text(q["networks"], "c; a") == ("a", "c")
    assert engine.parse_text(q["score"], "7") == 7


def test_an_answer_to_a_question_not_being_asked_is_refused() -> None:
    with pytest.raises(NotAllowed):
        engine.answer(BRANCHING, State(), "score", 5)


def test_progress_counts_only_questions_that_will_be_shown() -> None:
    assert engine.progress(BRANCHING, State()) == (1, 3)
    state = engine.answer(BRANCHING, State(), "role", "crew")
    assert engine.progress(BRANCHING, state) == (2, 4)


def valid_value(question: Question, draw: st.DrawFn) -> object:
    if question.type == QuestionType.FREE_TEXT:
        return draw(st.text(min_size=1, max_size=question.max_length).filter(str.strip))
    if question.type == QuestionType.SCALE_0_10:
        return draw(st.integers(0, 10))
    keys = question.option_keys()
    if question.type == QuestionType.MULTIPLE_CHOICE:
        plain = [k for k in keys if k != PREFER_NOT_TO_SAY]
        limit = question.max_choices or len(plain)
        return draw(st.lists(st.sampled_from(plain), min_size=1, max_size=limit, unique=True))
    return draw(st.sampled_from(keys))


ALL_SURVEYS = [*SurveyCatalog.load().entries()]


@given(data=st.data())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_every_sequence_of_valid_moves_ends_complete(data: st.DataObject) -> None:
    survey = data.draw(st.sampled_from([BRANCHING, *(e.survey for e in ALL_SURVEYS)]))
    state = State()
    for _ in range(200):
        question = engine.next_question(survey, state)
        if question is None:
            break
        move = data.draw(st.sampled_from(["answer", "answer", "answer", "skip", "back"]))
        if move == "back" and state.answers:
            state = engine.back(survey, state)
        elif move == "skip" and (question.optional or question.equality):
            state = engine.skip(survey, state)
        else:
            state = engine.answer(survey, state, question.key, valid_value(question, data.draw))
    # Finish with answers only: however the walk went, answering always completes it.
    while (question := engine.next_question(survey, state)) is not None:
        state = engine.answer(survey, state, question.key, valid_value(question, data.draw))
    assert engine.is_complete(survey, state)
    for key in state.answers:
        assert engine.is_visible(survey.question(key), state.answers)


junk = st.one_of(
    st.text(max_size=30),
    st.integers(-100, 100),
    st.none(),
    st.lists(st.text(max_size=5), max_size=4),
    st.booleans(),
    st.floats(allow_nan=True),
)


@given(data=st.data(), value=junk)
@settings(max_examples=300)
def test_an_invalid_answer_never_advances_or_changes_state(
    data: st.DataObject, value: object
) -> None:
    survey = data.draw(st.sampled_from([BRANCHING, *(e.survey for e in ALL_SURVEYS)]))
    state = State()
    for _ in range(data.draw(st.integers(0, 5))):
        question = engine.next_question(survey, state)
        if question is None:
            break
        state = engine.answer(survey, state, question.key, valid_value(question, data.draw))
    question = engine.next_question(survey, state)
    if question is None:
        return
    before = dict(state.answers)
    try:
        after = engine.answer(survey, state, question.key, value)
    except InvalidAnswer:
        assert dict(state.answers) == before
        assert engine.next_question(survey, state) == question
    else:
        # Accepted only if the engine's own validation considers it valid.
        assert after.answers[question.key] == engine.validate(question, value)
