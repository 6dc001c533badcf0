"""Fast bulk loading of generated responses (demo and benchmark), same anonymity rules.

Rows go in with random ids and dates only, like every other response; this path only
skips the per-row ORM work so a million synthetic responses load in minutes.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Answer, Response, Unit
from surveys.model import QuestionType, Survey

BATCH = 20_000


async def insert_responses(
    engine: AsyncEngine,
    wave_id: int,
    survey: Survey,
    rows: Iterable[tuple[str, dict[str, Any], dict[str, Any]]],
    submitted_on: date,
    channel: str = "import",
) -> int:
    """Insert (unit code, answers, snapshot) rows; multiple choice as 'a;b'."""
    types = {q.key: q.type for q in survey.questions}
    async with engine.connect() as conn:
        unit_ids = {
            code: uid for code, uid in (await conn.execute(select(Unit.code, Unit.id))).all()
        }
    count = 0
    responses: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []

    async def flush() -> None:
        async with engine.begin() as conn:
            if responses:
                await conn.execute(insert(Response), responses)
            if answers:
                await conn.execute(insert(Answer), answers)
        responses.clear()
        answers.clear()

    for unit, answer_values, snapshot in rows:
        response_id = uuid.UUID(bytes=secrets.token_bytes(16), version=4)
        responses.append(
            {
                "id": response_id,
                "wave_id": wave_id,
                "unit_id": unit_ids[unit],
                "submitted_on": submitted_on,
                "channel": channel,
                **snapshot,
            }
        )
        for key, value in answer_values.items():
            kind = types[key]
            base = {
                "response_id": response_id,
                "question_key": key,
                "option": None,
                "number": None,
                "text": None,
            }
            if kind == QuestionType.MULTIPLE_CHOICE:
                for position, option in enumerate(str(value).split(";")):
                    answers.append({**base, "position": position, "option": option})
            elif kind == QuestionType.SCALE_0_10 and str(value).isdigit():
                answers.append({**base, "position": 0, "number": int(value)})
            elif kind == QuestionType.FREE_TEXT:
                answers.append({**base, "position": 0, "text": str(value)})
            else:
                answers.append({**base, "position": 0, "option": str(value)})
        count += 1
        if len(responses) >= BATCH:
            await flush()
    await flush()
    return count
