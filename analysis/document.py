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
from analysis.tables import Tables, scope_rows
from analysis.words import FRAMEWORK_NAMES_CY, FRSEF_CY, w
from surveys.actions import area_title
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
    language: str = "en"
    blocks: list[Block] = field(default_factory=list)

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def _hidden(k: int, language: str = "en") -> Cell:
    return Cell(HIDDEN, hidden=True, why=w("hidden_why", language, k=k))


def _table(
    headers: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None
) -> Table:
    return Table(tuple(headers), tuple(tuple(Cell(c) for c in row) for row in rows), widths)


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
    language = tables.language
    if bool(rate["suppressed"]):
        return Paragraph(w("respondents_hidden", language, hidden=HIDDEN, k=tables.k_unit))
    text = w("respondents", language, n=fmt(rate["respondents"]))
    if not pd.isna(rate["response_rate"]):
        text += w(
            "respondents_rate",
            language,
            headcount=fmt(rate["headcount"]),
            rate=fmt(rate["response_rate"], "%"),
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
        text = Cell(localise(question.text, tables.language))
        r = match.iloc[0]
        if bool(r["suppressed"]):
            rows.append((text, *[_hidden(tables.k_unit, tables.language)] * 4))
            continue
        n, value, ci, extra = result_cells(question, r)
        rows.append(
            (text, Cell(n), Cell(value, indicative=bool(r["indicative"])), Cell(ci), Cell(extra))
        )
    language = tables.language
    return Table(
        (
            w("col_question", language),
            "n",
            w("col_result", language),
            w("col_interval", language),
            w("col_mean", language),
        ),
        tuple(rows),
        (0.5, 0.09, 0.12, 0.145, 0.145),
    )


def _matrix(tables: Tables, breakdown: str, k: int) -> list[Block]:
    """Groups (rows) x questions with a headline (columns): headline % and respondents."""
    results = tables.results[tables.results["breakdown"] == breakdown]
    if results.empty:
        return []
    questions = [q for q in tables.questions if headline(q)]
    language = tables.language
    index = results.set_index(["group", "question"])
    rows: list[tuple[Cell, ...]] = []
    for group in dict.fromkeys(results["group"]):
        first = results[results["group"] == group].iloc[0]
        row = [
            Cell(group_label(tables.group_labels, breakdown, group)),
            _hidden(k, language) if bool(first["suppressed"]) else Cell(fmt(first["n"])),
        ]
        for q in questions:
            if (group, q.key) not in index.index:
                row.append(Cell(""))
                continue
            r = index.loc[(group, q.key)]
            metric = headline(q)
            row.append(
                _hidden(k, language)
                if bool(r["suppressed"])
                else Cell(fmt(r[metric], "%"), indicative=bool(r["indicative"]))
            )
        rows.append(tuple(row))
    legend = w("columns_legend", language) + "; ".join(
        f"{q.key}: {localise(q.text, language)}" for q in questions
    )
    return [
        Table(
            (w("col_group", language), w("col_respondents", language), *[q.key for q in questions]),
            tuple(rows),
        ),
        Paragraph(legend, "small"),
    ]


def _frameworks(tables: Tables) -> list[Block]:
    language = tables.language
    none = (w("none_stood_out", language),)
    out: list[Block] = [Heading(2, w("framework_heading", language), "framework")]
    frsef = areas(tables, "frsef")
    for area in frsef:
        out += [
            Heading(3, f"FRSEF {area.key}. {area.title}"),
            Paragraph(w("strengths", language), "label"),
            Bullets(tuple(area.strengths) or none),
            Paragraph(w("improvements", language), "label"),
            Bullets(tuple(area.improvements) or none),
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
            name = FRAMEWORK_NAMES_CY[key] if language == "cy" else FRAMEWORKS[key][0]
            out += [
                Heading(3, name),
                _table([w("col_area", language), w("col_items", language)], rows, (0.3, 0.7)),
            ]
    reg = register(frsef)
    if language == "cy":
        reg["status"] = w("status_open", language)
    out.append(Heading(3, w("register_heading", language)))
    if reg.empty:
        out.append(Paragraph(w("no_improvements", language)))
    else:
        out.append(
            _table(
                [
                    w(f"col_{c}", language)
                    for c in ("area", "consideration", "evidence", "lead", "due", "status")
                ],
                reg.astype(str).to_numpy().tolist(),
                (0.17, 0.23, 0.36, 0.08, 0.08, 0.08),
            )
        )
    return out


def _actions(tables: Tables) -> list[Block]:
    """ "You said, we did": the register's actions against the previous wave, by item."""
    if not tables.actions:
        return []
    language = tables.language
    texts = {q.key: localise(q.text, language) for q in tables.questions}
    names = {
        str(code): str(name)
        for code, name in zip(
            tables.response_rates["unit"], tables.response_rates["name"], strict=True
        )
    }
    previous = tables.previous_label or w("previous_wave", language)

    def area_name(number: int) -> str:
        return f"{number}. {FRSEF_CY[number]}" if language == "cy" else area_title(number)

    rows = [
        [
            texts.get(a.item, a.item) if a.item else area_name(a.area),
            a.consideration,
            names.get(a.unit, a.unit),
            a.lead,
            a.due or "",
            w(f"status_{a.status}", language),
            a.progress,
        ]
        for a in sorted(tables.actions, key=lambda a: (a.item is None, a.item or "", a.area))
    ]
    headers = [
        w(c, language)
        for c in (
            "col_question",
            "col_consideration",
            "col_unit",
            "col_lead",
            "col_when",
            "col_status",
            "col_progress",
        )
    ]
    return [
        Heading(2, w("actions_heading", language), "actions"),
        Paragraph(w("actions_intro", language, previous=previous)),
        _table(headers, rows, (0.2, 0.2, 0.12, 0.12, 0.09, 0.09, 0.18)),
    ]


def _units(tables: Tables) -> list[Block]:
    k = tables.k_unit
    language = tables.language
    rows: list[tuple[Cell, ...]] = []
    for r in tables.response_rates.itertuples(index=False):
        name = Cell(f"{r.name} ({breakdown_label(str(r.kind), language).lower()})")
        if r.suppressed:
            rows.append((name, _hidden(k, language), Cell(fmt(r.headcount)), _hidden(k, language)))
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
        Heading(2, w("units_heading", language), "units", new_page=True),
        Heading(3, w("response_rates", language)),
        Table(
            tuple(
                w(c, language) for c in ("col_unit", "col_respondents", "col_headcount", "col_rate")
            ),
            tuple(rows),
            (0.52, 0.16, 0.16, 0.16),
        ),
    ]
    for level in LEVELS[1:]:
        matrix = _matrix(tables, level, k)
        if matrix:
            level_name = breakdown_label(level, language).lower()
            out += [Heading(3, w("by_level", language, level=level_name)), *matrix]
    return out


def _characteristics(tables: Tables) -> list[Block]:
    k = tables.k_characteristic
    language = tables.language
    out: list[Block] = []
    for key in CHARACTERISTICS:
        matrix = _matrix(tables, key, k)
        if matrix:
            out += [Heading(3, breakdown_label(key, language)), *matrix]
    if out:
        out.insert(0, Heading(2, w("characteristics_heading", language), "characteristics"))
    intersections = sorted({b for b in tables.results["breakdown"] if "×" in b})
    if intersections:
        out.append(Heading(2, w("intersections", language), "intersections"))
        for breakdown in intersections:
            out += [
                Heading(3, breakdown_label(breakdown, language)),
                *_matrix(tables, breakdown, k),
            ]
    return out


def _gaps(tables: Tables) -> list[Block]:
    if tables.gaps.empty:
        return []
    language = tables.language
    rows = [
        [
            g.question,
            breakdown_label(g.breakdown, language),
            group_label(tables.group_labels, g.breakdown, g.group),
            str(g.n),
            fmt(g.value, "%"),
            fmt(g.rest_value, "%"),
            fmt(g.difference, w("points", language)),
            g.method,
            f"{g.q_value:.3f}",
            w("yes" if g.significant else "no", language)
            + (w("indicative", language) if g.indicative else ""),
        ]
        for g in tables.gaps.sort_values("q_value").itertuples(index=False)
    ]
    return [
        Heading(2, w("gaps_heading", language), "gaps"),
        Paragraph(w("gaps_method", language)),
        _table(
            [
                w("col_question", language),
                w("col_breakdown", language),
                w("col_group", language),
                "n",
                w("col_group", language),
                w("col_everyone_else", language),
                w("col_difference", language),
                w("col_test", language),
                w("col_adjusted_p", language),
                w("col_significant", language),
            ],
            rows,
            (0.14, 0.11, 0.13, 0.06, 0.08, 0.09, 0.1, 0.09, 0.09, 0.11),
        ),
    ]


def _distribution(tables: Tables) -> list[Block]:
    overall = scope_rows(tables, tables.distribution)
    language = tables.language
    out: list[Block] = [Heading(2, w("answers_heading", language), "questions")]
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        rows_q = overall[overall["question"] == question.key]
        if rows_q.empty:
            continue
        labels = {o.key: localise(o.text, language) for o in question.choices()}
        rows: list[tuple[Cell, ...]] = []
        for r in rows_q.itertuples(index=False):
            label = Cell(labels.get(r.option, r.option))
            if r.suppressed:
                hidden = _hidden(tables.k_unit, language)
                rows.append((label, hidden, hidden))
            else:
                rows.append((label, Cell(fmt(r.count)), Cell(fmt(r.pct, "%"))))
        out += [
            Heading(3, localise(question.text, language)),
            Table(
                (w("col_answer", language), w("col_count", language), "%"),
                tuple(rows),
                (0.6, 0.2, 0.2),
            ),
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
        row = [Cell(localise(question.text, tables.language))]
        for wave in waves:
            cell = match[match["label"] == wave]
            if cell.empty:
                row.append(Cell(""))
            elif bool(cell.iloc[0]["suppressed"]):
                row.append(_hidden(tables.k_unit, tables.language))
            else:
                suffix = "%" if str(cell.iloc[0]["metric"]).startswith("pct") else ""
                row.append(Cell(fmt(float(cell.iloc[0]["value"]), suffix, 0 if suffix else 1)))
        rows.append(tuple(row))
    return [
        Heading(2, w("trend_heading", tables.language), "trend"),
        Table((w("col_question", tables.language), *waves), tuple(rows)),
    ]


def _comments(tables: Tables) -> list[Block]:
    language = tables.language
    out: list[Block] = [Heading(2, w("comments_heading", language), "comments")]
    if tables.comments.empty:
        out.append(Paragraph(w("no_comments", language, k=tables.k_comments)))
        return out
    texts = {q.key: localise(q.text, language) for q in tables.questions}
    for question, rows in tables.comments.groupby("question", sort=False):
        out += [
            Heading(3, texts.get(str(question), str(question))),
            Bullets(tuple(str(t) for t in rows["text"])),
        ]
    return out


def build(tables: Tables) -> Document:
    """The whole report for one view of a publication, in the view's language."""
    language = tables.language
    title = f"{tables.survey_title}: {tables.wave_label}"
    footer = title
    if tables.synthetic:
        footer = w("synthetic_footer", language) + footer
    doc = Document(title, footer, tables.synthetic, tables.generated_on, language)
    doc.add(
        Heading(1, title),
        Paragraph(
            w(
                "scope_line",
                language,
                scope=tables.scope_name,
                wave=tables.wave_id,
                made=tables.generated_on.isoformat(),
            ),
            "meta",
        ),
    )
    if tables.synthetic:
        doc.add(Paragraph(w("synthetic_banner", language), "banner"))
    doc.add(
        Paragraph(
            w(
                "anonymity_note",
                language,
                k_unit=tables.k_unit,
                k_char=tables.k_characteristic,
                hidden=HIDDEN,
                k_comments=tables.k_comments,
            ),
            "note",
        ),
        Heading(2, w("summary", language), "summary"),
    )
    respondents = _respondents(tables)
    if respondents is not None:
        doc.add(respondents)
    doc.add(
        _summary_table(tables, scope_rows(tables, tables.results)),
        *_actions(tables),
        *_frameworks(tables),
    )
    charts = chart_module.all_charts(tables)
    if charts:
        doc.add(
            Heading(2, w("charts", language), "charts", new_page=True),
            *(Figure(c) for c in charts),
        )
    doc.add(
        *_units(tables),
        *_characteristics(tables),
        *_gaps(tables),
        *_distribution(tables),
        *_trend(tables),
        *_comments(tables),
        Heading(2, w("method_heading", language), "method"),
        Bullets(
            (
                w("method_favourable", language),
                w("method_enps", language),
                w("method_intervals", language),
                w("method_groups", language),
                w("method_rate", language),
                tables.publication_note,
            )
        ),
    )
    return doc
