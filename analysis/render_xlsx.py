"""XLSX: one sheet per table, with headers, filters and number formats."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from analysis.framework import areas, register
from analysis.labels import breakdown_label, group_label
from analysis.tables import RESULT_COLUMNS, Tables

PERCENT_COLUMNS = {
    "pct_favourable",
    "pct_yes",
    "ci_low",
    "ci_high",
    "pct",
    "response_rate",
    "value",
    "rest_value",
    "difference",
}
DECIMAL_COLUMNS = {"mean", "enps", "p_value", "q_value"}
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _clean(value: object) -> object:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value
    return value


def _sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(title[:31])
    columns = list(frame.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in frame.itertuples(index=False):
        sheet.append([_clean(v) for v in row])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        fmt = "0.0" if column in PERCENT_COLUMNS else "0.00" if column in DECIMAL_COLUMNS else None
        if column == "q_value" or column == "p_value":
            fmt = "0.0000"
        if fmt:
            for cell in sheet[letter][1:]:
                cell.number_format = fmt
        width = max(
            [len(str(column))]
            + [len(str(c.value)) for c in sheet[letter][1:200] if c.value is not None]
        )
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if frame.shape[0]:
        sheet.auto_filter.ref = sheet.dimensions


def to_workbook(tables: Tables) -> Workbook:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    facts = [
        ("Survey", tables.survey_title),
        ("Survey key", tables.survey_key),
        ("Wave", f"{tables.wave_id}: {tables.wave_label}"),
        ("Scope", tables.scope_name),
        ("Report made", tables.generated_on.isoformat()),
        ("Minimum group size (units)", tables.k_unit),
        ("Minimum group size (equality groups)", tables.k_characteristic),
        ("Minimum group size (comments)", tables.k_comments),
        (
            "Hidden cells",
            "Empty with suppressed = TRUE: fewer than the minimum, or hidden so others cannot be worked out",
        ),
        ("Publication", tables.publication_note),
    ]
    if tables.synthetic:
        facts.insert(
            0, ("SYNTHETIC DATA", "Made-up responses for demonstration; no real service or person.")
        )
    for key, value in facts:
        about.append([key, value])
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 90
    for cell in about["A"]:
        cell.font = Font(bold=True)

    results = tables.results[RESULT_COLUMNS].copy()
    results.insert(
        3,
        "group_label",
        [
            group_label(tables.group_labels, b, g)
            for b, g in zip(results["breakdown"], results["group"], strict=True)
        ],
    )
    results.insert(2, "breakdown_label", [breakdown_label(b) for b in results["breakdown"]])
    _sheet(book, "Results", results)
    _sheet(book, "Answers", tables.distribution)
    _sheet(book, "Response rates", tables.response_rates)
    _sheet(book, "Group differences", tables.gaps)
    _sheet(book, "Trend", tables.trend)
    frsef = areas(tables, "frsef")
    framework_rows = [
        {"area": f"{a.key}. {a.title}", "kind": kind, "statement": text}
        for a in frsef
        for kind, texts in (("strength", a.strengths), ("area for improvement", a.improvements))
        for text in texts
    ]
    _sheet(book, "Framework", pd.DataFrame(framework_rows, columns=["area", "kind", "statement"]))
    _sheet(book, "Improvement register", register(frsef))
    _sheet(book, "Comments", tables.comments)
    return book


def write_xlsx(tables: Tables, path: Path) -> None:
    to_workbook(tables).save(path)
