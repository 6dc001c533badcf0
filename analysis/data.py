"""The data a report is computed from, as DataFrames.

`WaveData` holds one wave: one row per response (unit, equality snapshot, one categorical
column per single-answer question), multiple-choice answers and comments in long form, and
the organisation tree. `load_wave` fills it from the database; tests build it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import progress, reporting
from storage.models import Wave
from storage.rows import wave_survey
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
    # The highest released count each pool showed during the wave (/progress): published,
    # so the audit treats each as a lower bound (surveys/progress.py).
    progress: dict[str, int] = field(default_factory=dict)


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


class _Encoder:
    """Turns response columns into category codes, a chunk at a time, all vectorised.

    Values outside a column's categories become missing (code -1), as pd.Categorical does;
    a missing characteristic is its own group, NOT_ANSWERED.
    """

    def __init__(self, survey: Survey, monitoring: Survey | None, units: Units) -> None:
        self.unit_codes = [str(c) for c in units.table.index]
        self.unit_index = pd.Index(self.unit_codes, dtype=object)
        position = {code: i for i, code in enumerate(self.unit_codes)}
        # One extra -1 at the end, so an unknown unit (code -1) maps to no level either.
        self.levels = {
            level: np.array(
                [position.get(units.level_of(code, level) or "", -1) for code in self.unit_codes]
                + [-1],
                dtype=np.int32,
            )
            for level in LEVELS
        }
        self.characteristics = characteristic_categories(monitoring)
        self.questions = question_categories(survey)
        self.indexes = {
            key: pd.Index(values, dtype=object)
            for key, values in (*self.characteristics.items(), *self.questions.items())
        }

    def encode(self, columns: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        unit = self.unit_index.get_indexer(columns["unit"]).astype(np.int32)
        out: dict[str, np.ndarray] = {"unit": unit}
        for level, lookup in self.levels.items():
            out[level] = lookup[unit]
        for key, values in self.characteristics.items():
            column = columns.get(key)
            not_answered = len(values) - 1
            if column is None:
                out[key] = np.full(n, not_answered, dtype=np.int32)
                continue
            codes = self.indexes[key].get_indexer(column).astype(np.int32)
            codes[pd.isna(column)] = not_answered
            out[key] = codes
        for key in self.questions:
            column = columns.get(key)
            if column is None:
                out[key] = np.full(n, -1, dtype=np.int32)
            else:
                out[key] = self.indexes[key].get_indexer(column).astype(np.int32)
        return out

    def frame(self, parts: list[dict[str, np.ndarray]]) -> pd.DataFrame:
        def joined(key: str) -> np.ndarray:
            if not parts:
                return np.empty(0, dtype=np.int32)
            return np.concatenate([part[key] for part in parts])

        frame = pd.DataFrame(
            {
                "unit": pd.Categorical.from_codes(joined("unit"), categories=self.unit_codes),
                **{
                    level: pd.Categorical.from_codes(joined(level), categories=self.unit_codes)
                    for level in LEVELS
                },
                **{
                    key: pd.Categorical.from_codes(joined(key), categories=values)
                    for key, values in (*self.characteristics.items(), *self.questions.items())
                },
            }
        )
        return frame


def _objects(values: object) -> np.ndarray:
    return np.asarray(values, dtype=object)


def build_responses(
    records: pd.DataFrame, survey: Survey, monitoring: Survey | None, units: Units
) -> pd.DataFrame:
    """Typed response frame: categorical unit, levels, characteristics and questions."""
    encoder = _Encoder(survey, monitoring, units)
    columns = {str(name): _objects(records[name]) for name in records.columns}
    frame = encoder.frame([encoder.encode(columns, len(records))])
    frame.index = records.index
    return frame


def _scale_text(numbers: np.ndarray) -> np.ndarray:
    """0-10 answers stored as numbers, as the option keys '0'..'10' (None when missing)."""
    values = pd.to_numeric(pd.Series(numbers, dtype=object), errors="coerce").to_numpy(float)
    known = ~np.isnan(values)
    out = np.full(len(values), None, dtype=object)
    out[known] = values[known].astype(np.int64).astype(str)
    return out


async def load_wave(
    engine: AsyncEngine,
    wave: Wave,
    monitoring: Survey | None,
    selection: reporting.Rows = reporting.COUNTED,
) -> WaveData:
    """Read one wave from the database into a WaveData, encoding each chunk as it arrives.

    By default the responses the wave's figures count now; a correction reads other
    selections too (reporting.Rows).
    """
    survey = wave_survey(wave)
    units = Units.from_rows(await reporting.wave_org(engine, wave.id))
    encoder = _Encoder(survey, monitoring, units)
    pivot = reporting.pivot_columns(survey)
    parts: list[dict[str, np.ndarray]] = []
    async for names, rows in reporting.response_rows(engine, wave.id, survey, rows=selection):
        raw = dict(zip(names, (_objects(c) for c in zip(*rows, strict=True)), strict=True))
        columns = {key: raw[key] for key in ("unit", *CHARACTERISTICS)}
        for column in pivot:
            if column.field == "option":
                columns[column.question] = raw[column.name]
        for column in pivot:
            if column.field == "number":
                option = columns[column.question]
                columns[column.question] = np.where(
                    pd.isna(option), _scale_text(raw[column.name]), option
                )
        parts.append(encoder.encode(columns, len(rows)))
    responses = encoder.frame(parts)

    multi_keys = [q.key for q in survey.questions if q.type == QuestionType.MULTIPLE_CHOICE]
    text_keys = [q.key for q in survey.questions if q.type == QuestionType.FREE_TEXT]
    multi_rows = await reporting.long_answers(engine, wave.id, multi_keys, "option", selection)
    text_rows = await reporting.long_answers(engine, wave.id, text_keys, "text", selection)
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
        progress=await progress.floors(engine, wave.id),
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
