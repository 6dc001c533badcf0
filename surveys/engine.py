"""The conversation engine: which question comes next, and whether an answer is acceptable.

Pure functions over an immutable state, so the bot, the importer and the tests all walk a
survey the same way. No I/O and no framework imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from surveys.model import PREFER_NOT_TO_SAY, Question, QuestionType, Survey

# An answer: an option key or free text (str), a 0-10 score (int), several option keys
# (tuple), or None for an optional question that was skipped.
Answer = str | int | tuple[str, ...] | None


class InvalidAnswer(ValueError):
    """An answer the question cannot take; the message says why in plain words."""


class NotAllowed(ValueError):
    """A move the conversation does not allow now (e.g. skipping a required question)."""


@dataclass(frozen=True)
class State:
    """Answers so far, in the order they were given (which is the order of the questions)."""

    answers: Mapping[str, Answer] = field(default_factory=lambda: MappingProxyType({}))

    def with_answers(self, answers: dict[str, Answer]) -> State:
        return State(MappingProxyType(dict(answers)))


def _matches(value: Answer, wanted: list[str | int]) -> bool:
    wanted_str = {str(w) for w in wanted}
    if value is None:
        return False
    if isinstance(value, tuple):
        return any(v in wanted_str for v in value)
    return str(value) in wanted_str


def is_visible(question: Question, answers: Mapping[str, Answer]) -> bool:
    """A question with a condition is shown only when the earlier answer matches it."""
    if question.show_if is None:
        return True
    return _matches(answers.get(question.show_if.question), question.show_if.values)


def prune(survey: Survey, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Drop answers to questions that are no longer shown, in question order."""
    kept: dict[str, Answer] = {}
    for q in survey.questions:
        if q.key in answers and is_visible(q, kept):
            kept[q.key] = answers[q.key]
    return kept


def next_question(survey: Survey, state: State) -> Question | None:
    """The next question to ask, or None when the survey is complete."""
    for q in survey.questions:
        if q.key not in state.answers and is_visible(q, state.answers):
            return q
    return None


def is_complete(survey: Survey, state: State) -> bool:
    return next_question(survey, state) is None


def progress(survey: Survey, state: State) -> tuple[int, int]:
    """(number of the current question, questions expected in all) for a progress line.

    Questions whose condition depends on an answer not given yet are not counted, so the
    total can grow as the person answers.
    """
    answered = len(state.answers)
    visible = sum(1 for q in survey.questions if is_visible(q, state.answers))
    current = answered + (0 if is_complete(survey, state) else 1)
    return current, max(visible, current)


def validate(question: Question, value: object) -> Answer:
    """Check a typed answer (option key, list of keys, score, text) and return it normalised."""
    kind = question.type
    keys = question.option_keys()
    if kind == QuestionType.FREE_TEXT:
        if not isinstance(value, str):
            raise InvalidAnswer("Please type your answer as text.")
        text = value.strip()
        if not text:
            raise InvalidAnswer("The answer is empty.")
        if len(text) > question.max_length:
            raise InvalidAnswer(
                f"The answer is {len(text)} characters long; the limit is {question.max_length}."
            )
        return text
    if kind == QuestionType.SCALE_0_10:
        if value == PREFER_NOT_TO_SAY and question.offers_prefer_not_to_say:
            return PREFER_NOT_TO_SAY
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidAnswer("Please give a whole number from 0 to 10.")
        try:
            score = int(value)
        except ValueError:
            raise InvalidAnswer(f"{value!r} is not a whole number from 0 to 10.") from None
        if not 0 <= score <= 10:
            raise InvalidAnswer(f"{score} is outside the scale; use a number from 0 to 10.")
        return score
    if kind == QuestionType.MULTIPLE_CHOICE:
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, list | tuple) or not value:
            raise InvalidAnswer("Please choose at least one option.")
        chosen: list[str] = []
        for item in value:
            if not isinstance(item, str) or item not in keys:
                raise InvalidAnswer(f"{item!r} is not one of the options ({', '.join(keys)}).")
            if item not in chosen:
                chosen.append(item)
        if PREFER_NOT_TO_SAY in chosen and len(chosen) > 1:
            raise InvalidAnswer("'Prefer not to say' cannot be combined with other options.")
        if question.max_choices is not None and len(chosen) > question.max_choices:
            raise InvalidAnswer(
                f"Please choose at most {question.max_choices} options ({len(chosen)} were chosen)."
            )
        # Keep the options' own order so the same choice is always stored the same way.
        return tuple(k for k in keys if k in chosen)
    if not isinstance(value, str) or value not in keys:
        raise InvalidAnswer(f"{value!r} is not one of the options ({', '.join(keys)}).")
    return value


def parse_text(question: Question, raw: str) -> Answer:
    """Read an answer written as text (a CSV cell): ';' separates multiple choices."""
    raw = raw.strip()
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return validate(question, [part.strip() for part in raw.split(";") if part.strip()])
    return validate(question, raw)


def answer(survey: Survey, state: State, question_key: str, value: object) -> State:
    """Record an answer to the current question; raises and leaves state alone if invalid."""
    current = next_question(survey, state)
    if current is None:
        raise NotAllowed("The survey is already complete.")
    if current.key != question_key:
        raise NotAllowed("That question is not the one being asked now.")
    normalised = validate(current, value)
    return state.with_answers(prune(survey, {**state.answers, current.key: normalised}))


def skip(survey: Survey, state: State) -> State:
    """Skip the current question, which must be optional."""
    current = next_question(survey, state)
    if current is None:
        raise NotAllowed("The survey is already complete.")
    if not (current.optional or current.equality):
        raise NotAllowed("This question needs an answer.")
    return state.with_answers({**state.answers, current.key: None})


def back(survey: Survey, state: State) -> State:
    """Go back one question: the last answer is removed so that question is asked again."""
    if not state.answers:
        raise NotAllowed("This is the first question.")
    answers = dict(state.answers)
    answers.popitem()
    return state.with_answers(prune(survey, answers))


def change(survey: Survey, state: State, question_key: str, value: object) -> State:
    """Change an earlier answer; later questions whose condition no longer holds are dropped."""
    if question_key not in state.answers:
        raise NotAllowed("That question has not been answered yet.")
    question = survey.question(question_key)
    normalised = validate(question, value)
    return state.with_answers(prune(survey, {**state.answers, question_key: normalised}))
