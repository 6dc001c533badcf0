"""Rows of a response: engine answers turned into the responses and answers tables."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import date

from storage.models import Answer as AnswerRow
from storage.models import Response, Wave
from surveys.engine import Answer
from surveys.equality import Snapshot
from surveys.model import QuestionType, Survey


def wave_survey(wave: Wave) -> Survey:
    """The survey exactly as it was when the wave opened."""
    return Survey.model_validate(wave.definition)


def random_id() -> uuid.UUID:
    """A uuid4 from the OS's random source: ids say nothing about order or count."""
    return uuid.UUID(bytes=secrets.token_bytes(16), version=4)


def answer_rows(survey: Survey, answers: Mapping[str, Answer]) -> list[AnswerRow]:
    """Turn engine answers into rows; skipped questions are simply absent."""
    rows: list[AnswerRow] = []
    for key, value in answers.items():
        if value is None:
            continue
        question = survey.question(key)
        if isinstance(value, tuple):
            rows.extend(
                AnswerRow(question_key=key, position=i, option=option)
                for i, option in enumerate(value)
            )
        elif isinstance(value, int):
            rows.append(AnswerRow(question_key=key, position=0, number=value))
        elif question.type == QuestionType.FREE_TEXT:
            rows.append(AnswerRow(question_key=key, position=0, text=value))
        else:
            rows.append(AnswerRow(question_key=key, position=0, option=value))
    return rows


def new_response(
    survey: Survey,
    wave_id: int,
    unit_id: uuid.UUID,
    submitted_on: date,
    channel: str,
    answers: Mapping[str, Answer],
    snapshot: Snapshot,
    import_id: str | None = None,
) -> tuple[Response, list[AnswerRow]]:
    response = Response(
        id=random_id(),
        wave_id=wave_id,
        unit_id=unit_id,
        submitted_on=submitted_on,
        channel=channel,
        import_id=import_id,
        **snapshot,
    )
    return response, answer_rows(survey, answers)
