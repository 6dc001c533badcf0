"""Tidy CSV: one row per question x breakdown x group."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from analysis.tables import RESULT_COLUMNS, Tables

CSV_COLUMNS = ["survey", "wave", *RESULT_COLUMNS]


def _cell(value: object) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(tables: Tables) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in tables.results[RESULT_COLUMNS].itertuples(index=False):
        values = [_cell(v.item() if hasattr(v, "item") else v) for v in row]
        writer.writerow([tables.survey_key, tables.wave_id, *values])
    return out.getvalue()


def write_csv(tables: Tables, path: Path) -> None:
    path.write_text(to_csv(tables), encoding="utf-8")
