"""The report as a document: one structure, built once from a view of the publication,
that every renderer walks.

`build(tables)` lays out what a report shows (headings, paragraphs, lists, tables of
cells, charts) and decides every figure's text, hidden mark and emphasis. A renderer only
presents it: HTML (analysis/render_html.py) and PDF (analysis/render_pdf.py) are a few
dozen lines of presentation each, and a new one (chat text, dashboard JSON) walks the same
blocks. Nothing here reads responses: `tables` is a view of the wave's stored publication
(analysis/views.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis import charts as chart_module
from analysis.cells import fmt, result_cells
from analysis.data import LEVELS
from analysis.framework import FRAMEWORKS, areas, register
from analysis.labels import breakdown_label, group_label
from analysis.publication import headline
from analysis.tables import Tables
from surveys.equality import CHARACTERISTICS
from surveys.model import QuestionType
from surveys.text import localise

HIDDEN = "–"


@dataclass(frozen=True)
class Cell:
    """One figure or label. A hidden cell's text is HIDDEN and it says why."""

    text: str
    hidden: bool = False
    indicative: bool = False  # rests on fewer than 30 answers
    why: str = ""  # for a hidden cell: the reason, for a tooltip or a screen reader


@dataclass(frozen=True)
class Heading:
    level: int  # 1: title, 2: section, 3: sub-section
    text: str
    anchor: str = ""
    new_page: bool = False  # paged renderers start a new page here


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | meta | note | banner | small | label


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Relative column widths for paged renderers (None: the first column wider).
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Figure:
    chart: chart_module.Chart


Block = Heading | Paragraph | Bullets | Table | Figure


@dataclass
class Document:
    title: str
    footer: str  # what every page says it is, so a page printed alone is not mistaken
    synthetic: bool
    generated_on: date
    blocks: list[Block] = field(default_factory=list)

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def _hidden(k: int) -> Cell:
    return Cell(
        HIDDEN,
        hidden=True,
        why=f"Hidden: fewer than {k} people, or would let a hidden group be worked out",
    )


def _table(
    headers: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None
) -> Table:
    return Table(tuple(headers), tuple(tuple(Cell(c) for c in row) for row in rows), widths)


def _scope_rows(tables: Tables, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (results or distribution) for the view's whole scope: the
    wave's total, or the scope unit's own row."""
    if tables.scope is None:
        return frame[frame["breakdown"] == "all"]
    return frame[(frame["group"] == tables.scope) & frame["breakdown"].isin(LEVELS)]


def _respondents(tables: Tables) -> Paragraph | None:
    rates = tables.response_rates
    if rates.empty:
        return None
    code = tables.scope
    if code is None:
        roots = rates[rates["parent"] == ""]
        if roots.empty:
            return None
        code = str(roots["unit"].iloc[0])
    match = rates[rates["unit"] == code]
    if match.empty:
        return None
    rate = match.iloc[0]
    if bool(rate["suppressed"]):
        return Paragraph(f"Respondents: {HIDDEN} (fewer than {tables.k_unit}).")
    text = f"Respondents: {fmt(rate['respondents'])}"
    if not pd.isna(rate["response_rate"]):
        text += (
            f" of {fmt(rate['headcount'])} staff (response rate {fmt(rate['response_rate'], '%')})"
        )
    return Paragraph(text + ".")


def _summary_table(tables: Tables, frame: pd.DataFrame) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        match = frame[frame["question"] == question.key]
        if match.empty:
            continue
        text = Cell(localise(question.text, "en"))
        r = match.iloc[0]
        if bool(r["suppressed"]):
            rows.append((text, *[_hidden(tables.k_unit)] * 4))
            continue
        n, value, ci, extra = result_cells(question, r)
        rows.append(
            (text, Cell(n), Cell(value, indicative=bool(r["indicative"])), Cell(ci), Cell(extra))
        )
    return Table(
        ("Question", "n", "Result", "95% interval", "Mean / eNPS"),
        tuple(rows),
        (0.5, 0.09, 0.12, 0.145, 0.145),
    )


def _matrix(tables: Tables, breakdown: str, k: int) -> list[Block]:
    """Groups (rows) x questions with a headline (columns): headline % and respondents."""
    results = tables.results[tables.results["breakdown"] == breakdown]
    if results.empty:
        return []
    questions = [q for q in tables.questions if headline(q)]
    index = results.set_index(["group", "question"])
    rows: list[tuple[Cell, ...]] = []
    for group in dict.fromkeys(results["group"]):
        first = results[results["group"] == group].iloc[0]
        row = [
            Cell(group_label(tables.group_labels, breakdown, group)),
            _hidden(k) if bool(first["suppressed"]) else Cell(fmt(first["n"])),
        ]
        for q in questions:
            if (group, q.key) not in index.index:
                row.append(Cell(""))
                continue
            r = index.loc[(group, q.key)]
            metric = headline(q)
            row.append(
                _hidden(k)
                if bool(r["suppressed"])
                else Cell(fmt(r[metric], "%"), indicative=bool(r["indicative"]))
            )
        rows.append(tuple(row))
    legend = "Columns: " + "; ".join(f"{q.key}: {localise(q.text, 'en')}" for q in questions)
    return [
        Table(("Group", "Respondents", *[q.key for q in questions]), tuple(rows)),
        Paragraph(legend, "small"),
    ]


def _frameworks(tables: Tables) -> list[Block]:
    out: list[Block] = [Heading(2, "Evidence by framework area", "framework")]
    frsef = areas(tables, "frsef")
    for area in frsef:
        out += [
            Heading(3, f"FRSEF {area.key}. {area.title}"),
            Paragraph("Strengths", "label"),
            Bullets(tuple(area.strengths) or ("None stood out.",)),
            Paragraph("Areas for improvement", "label"),
            Bullets(tuple(area.improvements) or ("None stood out.",)),
        ]
    for key in ("hmicfrs", "core_code", "equality_standard"):
        other = areas(tables, key)
        if other:
            rows = [
                [
                    a.title,
                    "; ".join(
                        f"{i.text} {fmt(i.value, '%') if i.value is not None else HIDDEN}"
                        for i in a.items
                    ),
                ]
                for a in other
            ]
            out += [Heading(3, FRAMEWORKS[key][0]), _table(["Area", "Items"], rows, (0.3, 0.7))]
    reg = register(frsef)
    out.append(Heading(3, "Improvement register (starter)"))
    if reg.empty:
        out.append(Paragraph("No areas for improvement were identified."))
    else:
        out.append(
            _table(
                ["Area", "Area for consideration", "Evidence", "Lead", "Due", "Status"],
                reg.astype(str).to_numpy().tolist(),
                (0.17, 0.23, 0.36, 0.08, 0.08, 0.08),
            )
        )
    return out


def _units(tables: Tables) -> list[Block]:
    k = tables.k_unit
    rows: list[tuple[Cell, ...]] = []
    for r in tables.response_rates.itertuples(index=False):
        name = Cell(f"{r.name} ({r.kind})")
        if r.suppressed:
            rows.append((name, _hidden(k), Cell(fmt(r.headcount)), _hidden(k)))
        else:
            rows.append(
                (
                    name,
                    Cell(fmt(r.respondents)),
                    Cell(fmt(r.headcount)),
                    Cell(fmt(r.response_rate, "%")),
                )
            )
    out: list[Block] = [
        Heading(2, "By organisational unit", "units", new_page=True),
        Heading(3, "Response rates"),
        Table(
            ("Unit", "Respondents", "Headcount", "Response rate"),
            tuple(rows),
            (0.52, 0.16, 0.16, 0.16),
        ),
    ]
    for level in LEVELS[1:]:
        matrix = _matrix(tables, level, k)
        if matrix:
            out += [Heading(3, f"By {breakdown_label(level).lower()}"), *matrix]
    return out


def _characteristics(tables: Tables) -> list[Block]:
    k = tables.k_characteristic
    out: list[Block] = []
    for key in CHARACTERISTICS:
        matrix = _matrix(tables, key, k)
        if matrix:
            out += [Heading(3, breakdown_label(key)), *matrix]
    if out:
        out.insert(0, Heading(2, "By protected characteristic", "characteristics"))
    intersections = sorted({b for b in tables.results["breakdown"] if "×" in b})
    if intersections:
        out.append(Heading(2, "Intersections", "intersections"))
        for breakdown in intersections:
            out += [Heading(3, breakdown_label(breakdown)), *_matrix(tables, breakdown, k)]
    return out


def _gaps(tables: Tables) -> list[Block]:
    if tables.gaps.empty:
        return []
    rows = [
        [
            g.question,
            breakdown_label(g.breakdown),
            group_label(tables.group_labels, g.breakdown, g.group),
            str(g.n),
            fmt(g.value, "%"),
            fmt(g.rest_value, "%"),
            fmt(g.difference, " pts"),
            g.method,
            f"{g.q_value:.3f}",
            ("yes" if g.significant else "no") + (" (indicative)" if g.indicative else ""),
        ]
        for g in tables.gaps.sort_values("q_value").itertuples(index=False)
    ]
    return [
        Heading(2, "Differences between groups", "gaps"),
        Paragraph(
            "Each group compared with everyone else: chi-square test where the expected counts "
            "allow, otherwise Fisher's exact test; p-values adjusted for the number of tests in "
            "this report (Benjamini-Hochberg). Significant means adjusted p < 0.05."
        ),
        _table(
            [
                "Question",
                "Breakdown",
                "Group",
                "n",
                "Group",
                "Everyone else",
                "Difference",
                "Test",
                "Adjusted p",
                "Significant",
            ],
            rows,
            (0.14, 0.11, 0.13, 0.06, 0.08, 0.09, 0.1, 0.09, 0.09, 0.11),
        ),
    ]


def _distribution(tables: Tables) -> list[Block]:
    overall = _scope_rows(tables, tables.distribution)
    out: list[Block] = [Heading(2, "Answers to each question", "questions")]
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        rows_q = overall[overall["question"] == question.key]
        if rows_q.empty:
            continue
        labels = {o.key: localise(o.text, "en") for o in question.choices()}
        rows: list[tuple[Cell, ...]] = []
        for r in rows_q.itertuples(index=False):
            label = Cell(labels.get(r.option, r.option))
            if r.suppressed:
                rows.append((label, _hidden(tables.k_unit), _hidden(tables.k_unit)))
            else:
                rows.append((label, Cell(fmt(r.count)), Cell(fmt(r.pct, "%"))))
        out += [
            Heading(3, localise(question.text, "en")),
            Table(("Answer", "Count", "%"), tuple(rows), (0.6, 0.2, 0.2)),
        ]
    return out


def _trend(tables: Tables) -> list[Block]:
    trend = tables.trend
    if trend.empty or trend["wave"].nunique() < 2:
        return []
    waves = list(dict.fromkeys(trend["label"]))
    rows: list[tuple[Cell, ...]] = []
    for question in tables.questions:
        match = trend[trend["question"] == question.key]
        if match.empty:
            continue
        row = [Cell(localise(question.text, "en"))]
        for wave in waves:
            cell = match[match["label"] == wave]
            if cell.empty:
                row.append(Cell(""))
            elif bool(cell.iloc[0]["suppressed"]):
                row.append(_hidden(tables.k_unit))
            else:
                suffix = "%" if str(cell.iloc[0]["metric"]).startswith("pct") else ""
                row.append(Cell(fmt(float(cell.iloc[0]["value"]), suffix, 0 if suffix else 1)))
        rows.append(tuple(row))
    return [Heading(2, "Trend across waves", "trend"), Table(("Question", *waves), tuple(rows))]


def _comments(tables: Tables) -> list[Block]:
    out: list[Block] = [Heading(2, "Comments", "comments")]
    if tables.comments.empty:
        out.append(
            Paragraph(
                "No comments are shown: there are none, or the group has fewer than "
                f"{tables.k_comments} people."
            )
        )
        return out
    texts = {q.key: localise(q.text, "en") for q in tables.questions}
    for question, rows in tables.comments.groupby("question", sort=False):
        out += [
            Heading(3, texts.get(str(question), str(question))),
            Bullets(tuple(str(t) for t in rows["text"])),
        ]
    return out


def build(tables: Tables) -> Document:
    """The whole report for one view of a publication."""
    title = f"{tables.survey_title}: {tables.wave_label}"
    footer = title
    if tables.synthetic:
        footer = "SYNTHETIC DATA (made up, for demonstration) - " + footer
    doc = Document(title, footer, tables.synthetic, tables.generated_on)
    doc.add(
        Heading(1, title),
        Paragraph(
            f"Scope: {tables.scope_name} · wave {tables.wave_id} · report made "
            f"{tables.generated_on.isoformat()}",
            "meta",
        ),
    )
    if tables.synthetic:
        doc.add(
            Paragraph(
                "SYNTHETIC DATA: this report was made from made-up responses for "
                "demonstration. It describes no real service or person.",
                "banner",
            )
        )
    doc.add(
        Paragraph(
            "To protect anonymity, no figure is shown for a group of fewer than "
            f"{tables.k_unit} people (organisational units) or {tables.k_characteristic} people "
            "(equality groups), including groups with nobody in them, and some further figures "
            f"are hidden ({HIDDEN}) so that hidden ones cannot be worked out by subtraction, "
            "from this report or together with any other view of the wave. Comments appear "
            f"only for groups of at least {tables.k_comments} people, with names and contact "
            "details removed. Figures in italics rest on fewer than 30 answers and are "
            "indicative only.",
            "note",
        ),
        Heading(2, "Summary", "summary"),
    )
    respondents = _respondents(tables)
    if respondents is not None:
        doc.add(respondents)
    doc.add(_summary_table(tables, _scope_rows(tables, tables.results)), *_frameworks(tables))
    charts = chart_module.all_charts(tables)
    if charts:
        doc.add(Heading(2, "Charts", "charts", new_page=True), *(Figure(c) for c in charts))
    doc.add(
        *_units(tables),
        *_characteristics(tables),
        *_gaps(tables),
        *_distribution(tables),
        *_trend(tables),
        *_comments(tables),
        Heading(2, "How to read this report", "method"),
        Bullets(
            (
                "% favourable = agree + strongly agree, out of everyone who answered the "
                "question (neither agree nor disagree counts; “prefer not to say” and "
                "skipped do not).",
                "eNPS = % scoring 9-10 minus % scoring 0-6 on the 0-10 recommendation question.",
                "Intervals are Wilson 95% confidence intervals.",
                "“Prefer not to say” and “Not answered” are reported as groups of their own "
                "and never guessed.",
                "Response rate = respondents / headcount of the unit and everything below it.",
                tables.publication_note,
            )
        ),
    )
    return doc
