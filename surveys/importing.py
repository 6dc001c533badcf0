"""Reading responses collected elsewhere (paper forms, other tools) from CSV.

Each row is walked through the same conversation engine the bot uses, so an imported
response can only contain what a person could have answered in the chat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from surveys import engine
from surveys.engine import Answer, InvalidAnswer, NotAllowed, State
from surveys.equality import Snapshot, snapshot
from surveys.model import Survey

FIXED_COLUMNS = ("unit", "date")


@dataclass(frozen=True)
class CellProblem:
    line: int
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        parts = [f"line {self.line}"]
        if self.column:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts) + f": {self.reason}"


class ResponseImportError(Exception):
    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ImportedResponse:
    line: int
    unit_code: str
    submitted_on: date
    answers: dict[str, Answer]
    snapshot: Snapshot


def _walk(
    survey: Survey, cells: dict[str, str], line: int, problems: list[CellProblem]
) -> dict[str, Answer] | None:
    """Answer the survey from a row's cells with the engine; None if the row is bad."""
    state = State()
    bad_keys: set[str] = set()
    asked: set[str] = set()
    while (question := engine.next_question(survey, state)) is not None:
        asked.add(question.key)
        raw = cells.get(question.key, "").strip()
        try:
            if raw:
                state = engine.answer(survey, state, question.key, engine.parse_text(question, raw))
            else:
                state = engine.skip(survey, state)
            continue
        except InvalidAnswer as exc:
            problems.append(CellProblem(line, question.key, raw, str(exc)))
        except NotAllowed:
            problems.append(CellProblem(line, question.key, None, "an answer is required"))
        # Carry on past the bad cell as if it were blank, to report the row's other problems.
        bad_keys.add(question.key)
        state = state.with_answers({**state.answers, question.key: None})
    for question in survey.questions:
        raw = cells.get(question.key, "").strip()
        depends_on_bad_cell = question.show_if is not None and question.show_if.question in bad_keys
        if raw and question.key not in asked and not depends_on_bad_cell:
            condition = question.show_if
            why = (
                f" (it is asked only when {condition.question} is "
                f"{' or '.join(str(v) for v in condition.values)})"
                if condition
                else ""
            )
            problems.append(
                CellProblem(
                    line, question.key, raw, f"should be empty: the question was not asked{why}"
                )
            )
            bad_keys.add(question.key)
    return None if bad_keys else dict(state.answers)


def parse_responses_csv(
    text: str,
    survey: Survey,
    monitoring: Survey | None,
    known_units: Collection[str],
    earliest: date,
    latest: date,
) -> list[ImportedResponse]:
    """Validate every row; raises ResponseImportError listing every problem, or returns all rows."""
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    survey_keys = [q.key for q in survey.questions]
    monitoring_keys = [q.key for q in monitoring.questions] if monitoring else []
    allowed = set(FIXED_COLUMNS) | set(survey_keys) | set(monitoring_keys)
    problems: list[CellProblem] = []
    for column in FIXED_COLUMNS:
        if column not in header:
            problems.append(CellProblem(1, column, None, "required column is missing"))
    for column in header:
        if column not in allowed:
            problems.append(
                CellProblem(
                    1,
                    column or "(empty)",
                    None,
                    f"unknown column: not a question of '{survey.key}'"
                    + (f" or '{monitoring.key}'" if monitoring else ""),
                )
            )
    duplicates = sorted({c for c in header if header.count(c) > 1})
    for column in duplicates:
        problems.append(CellProblem(1, column, None, "column appears more than once"))
    for question in survey.questions:
        if question.key not in header and not question.optional and question.show_if is None:
            problems.append(
                CellProblem(1, question.key, None, "column for a required question is missing")
            )
    if problems:
        raise ResponseImportError(problems)
    reader.fieldnames = header

    out: list[ImportedResponse] = []
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append(CellProblem(line, None, None, "more values than columns"))
                continue
            cells = {k: (v or "") for k, v in raw.items()}
            if not any(v.strip() for v in cells.values()):
                continue
            row_ok = True
            unit = cells["unit"].strip()
            if unit not in known_units:
                problems.append(
                    CellProblem(
                        line, "unit", unit, "unknown unit code, or not in this wave's audience"
                    )
                )
                row_ok = False
            day_text = cells["date"].strip()
            try:
                day = date.fromisoformat(day_text)
                if len(day_text) != 10:
                    raise ValueError
            except ValueError:
                problems.append(
                    CellProblem(line, "date", day_text, "not a date in the form YYYY-MM-DD")
                )
                row_ok = False
            else:
                if not earliest <= day <= latest:
                    problems.append(
                        CellProblem(
                            line,
                            "date",
                            day_text,
                            f"outside the wave ({earliest.isoformat()} to {latest.isoformat()})",
                        )
                    )
                    row_ok = False
            answers = _walk(survey, cells, line, problems)
            monitoring_answers = _walk(monitoring, cells, line, problems) if monitoring else {}
            if row_ok and answers is not None and monitoring_answers is not None:
                out.append(ImportedResponse(line, unit, day, answers, snapshot(monitoring_answers)))
    except csv.Error as exc:
        problems.append(CellProblem(reader.line_num, None, None, f"not valid CSV: {exc}"))
    if problems:
        raise ResponseImportError(problems)
    if not out:
        raise ResponseImportError([CellProblem(1, None, None, "the file has no responses")])
    return out
