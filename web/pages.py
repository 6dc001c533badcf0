"""What the dashboard's pages show, built from a view of the publication (pure).

Every number here is one the view (analysis/views.py) shows: the heatmap's cells are the
% favourable the publication gives each unit, and their marks compare two shown figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.tables import Tables
from analysis.views import Tree
from surveys.model import QuestionType
from surveys.text import localise

NOTABLE = 5.0  # points from the whole service that earn a mark


@dataclass(frozen=True)
class HeatCell:
    text: str
    state: str  # above | below | near | hidden


@dataclass(frozen=True)
class HeatRow:
    code: str
    name: str
    depth: int
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Heatmap:
    questions: tuple[str, ...]
    service: tuple[HeatCell, ...]
    rows: tuple[HeatRow, ...]


def _value(x: object) -> float | None:
    if x is None:
        return None
    value = float(x)  # type: ignore[arg-type]
    return None if math.isnan(value) else value


def units_in_order(tree: Tree, top: str) -> list[tuple[str, int]]:
    """`top` and the units below it, depth first, with their depth below `top`."""
    out: list[tuple[str, int]] = []
    stack = [(top, 0)]
    while stack:
        code, depth = stack.pop()
        out.append((code, depth))
        stack.extend((c, depth + 1) for c in sorted(tree.children.get(code, []), reverse=True))
    return out


def heatmap(tables: Tables, tree: Tree, top: str, language: str) -> Heatmap:
    """Units (the scope and below) x agreement questions, as % favourable."""
    questions = [q for q in tables.questions if q.type == QuestionType.LIKERT]
    results = tables.results
    shown = results[~results["suppressed"]]
    figure = {
        (str(b), str(g), str(q)): _value(v)
        for b, g, q, v in zip(
            shown["breakdown"],
            shown["group"],
            shown["question"],
            shown["pct_favourable"],
            strict=True,
        )
    }
    service = [figure.get(("all", "all", q.key)) for q in questions]

    def cell(value: float | None, reference: float | None) -> HeatCell:
        if value is None:
            return HeatCell("", "hidden")
        state = "near"
        if reference is not None and value - reference >= NOTABLE:
            state = "above"
        elif reference is not None and reference - value >= NOTABLE:
            state = "below"
        return HeatCell(f"{value:.0f}%", state)

    rows = []
    for code, depth in units_in_order(tree, top):
        unit = tree.units[code]
        values = [figure.get((unit.kind, code, q.key)) for q in questions]
        rows.append(
            HeatRow(
                code,
                unit.name,
                depth,
                tuple(cell(v, s) for v, s in zip(values, service, strict=True)),
            )
        )
    return Heatmap(
        tuple(localise(q.text, language) for q in questions),
        tuple(cell(s, None) for s in service),
        tuple(rows),
    )
