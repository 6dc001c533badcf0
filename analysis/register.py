"""The improvement register as a file (CSV or XLSX), in the published register layout."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from storage.actions import Listed
from surveys.actions import COLUMNS, STATUS_WORDS, Status, area_title


def rows(
    actions: Sequence[Listed],
    unit_names: Mapping[str, str],
    item_texts: Mapping[str, str],
    language: str = "en",
) -> list[list[str]]:
    out = []
    for listed in actions:
        a = listed.action
        out.append(
            [
                area_title(a.area),
                a.consideration,
                a.progress,
                a.lead,
                a.due.isoformat() if a.due else "",
                STATUS_WORDS[Status(a.status)][language],
                unit_names.get(a.unit_code, a.unit_code),
                item_texts.get(a.item, a.item) if a.item else "",
            ]
        )
    return out


def to_csv(table: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    return out.getvalue()


def to_xlsx(table: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Improvement register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (34, 40, 50, 20, 12, 12, 24, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
