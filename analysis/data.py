"""The data a report is computed from, as DataFrames.

`WaveData` holds one wave: one row per response (unit, equality snapshot, one categorical
column per single-answer question), multiple-choice answers and comments in long form, and
the organisation tree. `load_wave` fills it from the database; tests build it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import reporting
from storage.models import Wave
from storage.services import wave_survey
from surveys.equality import CHARACTERISTICS, DERIVED
from surveys.model import PREFER_NOT_TO_SAY, QuestionType, Survey

NOT_ANSWERED = "not_answered"
LEVELS = ("service", "area", "station", "watch", "department")


@dataclass
class Units:
    """The organisation tree: code -> (name, kind, parent, headcount)."""

    table: pd.DataFrame  # index code; columns name, kind, parent, headcount

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str, str, str | None, int | None]]) -> Units:
        frame = pd.DataFrame(rows, columns=["code", "name", "kind", "parent", "headcount"])
        return cls(frame.set_index("code"))

    def children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for code, parent in self.table["parent"].items():
            if isinstance(parent, str):
                out.setdefault(parent, []).append(str(code))
        for kids in out.values():
            kids.sort(key=lambda c: str(self.table.at[c, "name"]).lower())
        return out

    def roots(self) -> list[str]:
        return [str(c) for c, p in self.table["parent"].items() if not isinstance(p, str)]

    def ancestors_or_self(self, code: str) -> list[str]:
        chain = []
        current: str | None = code
        while isinstance(current, str) and current in self.table.index and current not in chain:
            chain.append(current)
            parent = self.table.at[current, "parent"]
            current = parent if isinstance(parent, str) else None
        return chain

    def level_of(self, code: str, level: str) -> str | None:
        for unit in self.ancestors_or_self(code):
            if self.table.at[unit, "kind"] == level:
                return unit
        return None

    def subtree(self, code: str) -> set[str]:
        kids = self.children()
        out, stack = set(), [code]
        while stack:
            node = stack.pop()
            if node not in out:
                out.add(node)
                stack.extend(kids.get(node, []))
        return out

    def name(self, code: str) -> str:
        return str(self.table.at[code, "name"]) if code in self.table.index else code


@dataclass
class WaveData:
    survey: Survey
    wave_id: int
    label: str
    opens_on: date
    k_unit: int
    k_characteristic: int
    k_comments: int
    units: Units
    responses: pd.DataFrame
    multi: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["response", "unit", "question", "option"])
    )
    comments: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["response", "unit", "question", "text"])
    )
    synthetic: bool = False


def characteristic_categories(monitoring: Survey | None) -> dict[str, list[str]]:
    """Every value each characteristic can take, in questionnaire order, plus not answered."""
    from surveys.equality import DISABILITY_LABELS, ETHNIC_GROUPS

    out: dict[str, list[str]] = {}
    for key in CHARACTERISTICS:
        if key == "ethnic_group":
            values = [*ETHNIC_GROUPS, PREFER_NOT_TO_SAY]
        elif key == "disability":
            values = list(DISABILITY_LABELS)
        elif monitoring is not None and key in {q.key for q in monitoring.questions}:
            values = monitoring.question(key).option_keys()
        else:
            values = []
        out[key] = [*values, NOT_ANSWERED]
    return out


def question_categories(survey: Survey) -> dict[str, list[str]]:
    return {
        q.key: q.option_keys()
        for q in survey.questions
        if q.type not in (QuestionType.FREE_TEXT, QuestionType.MULTIPLE_CHOICE)
    }


def build_responses(
    records: pd.DataFrame, survey: Survey, monitoring: Survey | None, units: Units
) -> pd.DataFrame:
    """Typed response frame: categorical unit, levels, characteristics and questions."""
    frame = pd.DataFrame(index=records.index)
    codes = list(units.table.index)
    frame["unit"] = pd.Categorical(records["unit"], categories=codes)
    level_maps = {level: {code: units.level_of(code, level) for code in codes} for level in LEVELS}
    for level, mapping in level_maps.items():
        frame[level] = pd.Categorical(records["unit"].map(mapping), categories=codes)
    for key, values in characteristic_categories(monitoring).items():
        column = records[key] if key in records else pd.Series(None, index=records.index)
        frame[key] = pd.Categorical(column.where(column.notna(), NOT_ANSWERED), categories=values)
    for key, values in question_categories(survey).items():
        if key in records:
            frame[key] = pd.Categorical(records[key], categories=values)
        else:
            frame[key] = pd.Categorical([None] * len(records), categories=values)
    return frame


async def load_wave(engine: AsyncEngine, wave: Wave, monitoring: Survey | None) -> WaveData:
    """Read one wave from the database into a WaveData."""
    survey = wave_survey(wave)
    units = Units.from_rows(await reporting.units(engine))
    pivot = reporting.pivot_columns(survey)
    chunks: list[pd.DataFrame] = []
    async for names, rows in reporting.response_rows(engine, wave.id, survey):
        raw = pd.DataFrame.from_records(list(rows), columns=names)
        records = raw[["unit", *CHARACTERISTICS]].copy()
        for column in pivot:
            if column.field == "option":
                records[column.question] = raw[column.name]
        for column in pivot:
            if column.field == "number":
                numbers = raw[column.name]
                text = numbers.map(lambda v: None if pd.isna(v) else str(int(v)))
                records[column.question] = records[column.question].where(
                    records[column.question].notna(), text
                )
        chunks.append(build_responses(records, survey, monitoring, units))
    if chunks:
        responses = pd.concat(chunks, ignore_index=True)
    else:
        empty = pd.DataFrame({"unit": [], **{c: [] for c in CHARACTERISTICS}})
        responses = build_responses(empty, survey, monitoring, units)

    multi_keys = [q.key for q in survey.questions if q.type == QuestionType.MULTIPLE_CHOICE]
    text_keys = [q.key for q in survey.questions if q.type == QuestionType.FREE_TEXT]
    multi_rows = await reporting.long_answers(engine, wave.id, multi_keys, "option")
    text_rows = await reporting.long_answers(engine, wave.id, text_keys, "text")
    data = WaveData(
        survey=survey,
        wave_id=wave.id,
        label=wave.label,
        opens_on=wave.opens_on,
        k_unit=wave.k_unit,
        k_characteristic=wave.k_characteristic,
        k_comments=wave.k_comments,
        units=units,
        responses=responses,
    )
    data.multi = _long_frame(multi_rows, "option", survey, monitoring, units, responses)
    data.comments = _long_frame(text_rows, "text", survey, monitoring, units, responses)
    return data


def _long_frame(
    rows: list[tuple[object, ...]],
    field_name: str,
    survey: Survey,
    monitoring: Survey | None,
    units: Units,
    responses: pd.DataFrame,
) -> pd.DataFrame:
    """Long answers with their response's unit, levels and snapshot (by response id)."""
    columns = ["response", "unit", *CHARACTERISTICS, "question", field_name]
    raw = pd.DataFrame.from_records(rows, columns=columns)
    raw["response"] = raw["response"].astype(str)
    typed = build_responses(raw[["unit", *CHARACTERISTICS]], survey, monitoring, units)
    typed["response"] = raw["response"]
    typed["question"] = raw["question"]
    typed[field_name] = raw[field_name]
    return typed


__all__ = ["DERIVED", "LEVELS", "NOT_ANSWERED", "Units", "WaveData", "load_wave"]
