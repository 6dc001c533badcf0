"""A self-contained HTML report: charts embedded, readable on a phone, printable."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

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

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #0072B2}
h3{font-size:1.05rem;margin-top:1.4rem}
.meta{color:#444}.note{background:#f3f6fa;border-left:4px solid #0072B2;padding:.6rem .8rem;margin:1rem 0}
.synthetic{background:#fff3cd;border:2px solid #E69F00;padding:.6rem .8rem;font-weight:bold}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#eef2f7}
td.hidden{color:#777;text-align:center}td.ind{font-style:italic}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#444}
ul.points li{margin:.25rem 0}
@media print{body{max-width:none}h2{page-break-before:always}h2:first-of-type{page-break-before:auto}.scroll{overflow:visible}}
"""


def _table(headers: list[str], rows: list[list[str]], raw: bool = False) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(cell if raw else f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _td(text: str, css: str = "") -> str:
    return f"<td class='{css}'>{escape(text)}</td>" if css else f"<td>{escape(text)}</td>"


def _hidden_td(k: int) -> str:
    return f"<td class='hidden' title='Hidden: fewer than {k} people, or would let a hidden group be worked out'>{HIDDEN}</td>"


def headline_rows(tables: Tables, frame: pd.DataFrame, k: int) -> list[str]:
    """Table rows (HTML) of n and headline figures for each question in a one-group frame."""
    rows = []
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        row = frame[frame["question"] == question.key]
        cells = [_td(localise(question.text, "en"))]
        if row.empty:
            cells += [_td("")] * 4
        elif bool(row.iloc[0]["suppressed"]):
            cells += [_hidden_td(k)] * 4
        else:
            r = row.iloc[0]
            css = "ind" if bool(r["indicative"]) else ""
            n, value, ci, extra = result_cells(question, r)
            cells += [_td(n), _td(value, css), _td(ci), _td(extra)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def _raw_table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    return f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"


def breakdown_matrix(tables: Tables, breakdown: str, k: int) -> str:
    """Groups (rows) x agreement/yes-no questions (columns), headline % with n."""
    results = tables.results[tables.results["breakdown"] == breakdown]
    if results.empty:
        return ""
    questions = [q for q in tables.questions if headline(q)]
    groups = list(dict.fromkeys(results["group"]))
    index = results.set_index(["group", "question"])
    header = ["Group", "Respondents", *[q.key for q in questions]]
    rows = []
    for group in groups:
        first = results[results["group"] == group].iloc[0]
        cells = [_td(group_label(tables.group_labels, breakdown, group))]
        cells.append(_hidden_td(k) if bool(first["suppressed"]) else _td(fmt(first["n"])))
        for q in questions:
            if (group, q.key) not in index.index:
                cells.append(_td(""))
                continue
            r = index.loc[(group, q.key)]
            if bool(r["suppressed"]):
                cells.append(_hidden_td(k))
            else:
                cells.append(_td(fmt(r[headline(q)], "%"), "ind" if bool(r["indicative"]) else ""))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    legend = (
        "<p class='meta'>Columns: "
        + "; ".join(f"<b>{escape(q.key)}</b> {escape(localise(q.text, 'en'))}" for q in questions)
        + "</p>"
    )
    return _raw_table(header, rows) + legend


def _figure(chart: chart_module.Chart) -> str:
    data = base64.b64encode(chart.png).decode()
    return f"<figure><img src='data:image/png;base64,{data}' alt='{escape(chart.alt)}'><figcaption>{escape(chart.title)}</figcaption></figure>"


def render(tables: Tables) -> str:
    k_unit, k_char = tables.k_unit, tables.k_characteristic
    parts: list[str] = []
    title = f"{tables.survey_title}: {tables.wave_label}"
    parts.append(f"<h1>{escape(title)}</h1>")
    parts.append(
        f"<p class='meta'>Scope: {escape(tables.scope_name)} · wave {tables.wave_id} · report made {tables.generated_on.isoformat()}</p>"
    )
    if tables.synthetic:
        parts.append(
            "<p class='synthetic'>SYNTHETIC DATA: this report was made from made-up responses for demonstration. It describes no real service or person.</p>"
        )
    parts.append(
        "<div class='note'>To protect anonymity, no figure is shown for a group of fewer than "
        f"{k_unit} people (organisational units) or {k_char} people (equality groups), including groups with nobody in them, and some "
        f"further figures are hidden ({HIDDEN}) so that hidden ones cannot be worked out by subtraction, from this report or together with any other view of the wave. "
        "Comments appear only for groups of at least "
        f"{tables.k_comments} people, with names and contact details removed. Figures in italics rest on fewer than 30 answers and are indicative only.</div>"
    )

    # Summary
    results = tables.results
    if tables.scope is None:
        summary = results[results["breakdown"] == "all"]
    else:
        summary = results[(results["group"] == tables.scope) & results["breakdown"].isin(LEVELS)]
    parts.append("<h2 id='summary'>Summary</h2>")
    rates = tables.response_rates
    scope_code = tables.scope or (
        rates[rates["parent"] == ""]["unit"].iloc[0]
        if not rates.empty and (rates["parent"] == "").any()
        else None
    )
    if scope_code is not None and not rates.empty and (rates["unit"] == scope_code).any():
        rate = rates[rates["unit"] == scope_code].iloc[0]
        if bool(rate["suppressed"]):
            parts.append(f"<p>Respondents: {HIDDEN} (fewer than {k_unit}).</p>")
        else:
            parts.append(
                f"<p>Respondents: <b>{fmt(rate['respondents'])}</b>"
                + (
                    f" of {fmt(rate['headcount'])} staff (response rate {fmt(rate['response_rate'], '%')})"
                    if not pd.isna(rate["response_rate"])
                    else ""
                )
                + ".</p>"
            )
    parts.append(
        _raw_table(
            ["Question", "n", "Result", "95% interval", "Mean / eNPS"],
            headline_rows(tables, summary, k_unit),
        )
    )

    # Framework view
    parts.append("<h2 id='framework'>Evidence by framework area</h2>")
    frsef = areas(tables, "frsef")
    for area in frsef:
        parts.append(f"<h3>FRSEF {escape(area.key)}. {escape(area.title)}</h3>")
        parts.append(
            "<p><b>Strengths</b></p><ul class='points'>"
            + (
                "".join(f"<li>{escape(s)}</li>" for s in area.strengths)
                or "<li>None stood out.</li>"
            )
            + "</ul>"
        )
        parts.append(
            "<p><b>Areas for improvement</b></p><ul class='points'>"
            + (
                "".join(f"<li>{escape(s)}</li>" for s in area.improvements)
                or "<li>None stood out.</li>"
            )
            + "</ul>"
        )
    for key in ("hmicfrs", "core_code", "equality_standard"):
        other = areas(tables, key)
        if other:
            parts.append(f"<h3>{escape(FRAMEWORKS[key][0])}</h3>")
            rows = [
                [
                    a.title,
                    "; ".join(
                        f"{i.text} {fmt(i.value, '%')}"
                        if i.value is not None
                        else f"{i.text} {HIDDEN}"
                        for i in a.items
                    ),
                ]
                for a in other
            ]
            parts.append(_table(["Area", "Items"], rows))
    reg = register(frsef)
    parts.append("<h3>Improvement register (starter)</h3>")
    parts.append(
        _table(
            ["Area", "Area for consideration", "Evidence", "Lead", "Due", "Status"],
            reg.astype(str).to_numpy().tolist(),
        )
        if not reg.empty
        else "<p>No areas for improvement were identified.</p>"
    )

    # Charts
    charts = chart_module.all_charts(tables)
    if charts:
        parts.append("<h2 id='charts'>Charts</h2>")
        parts.extend(_figure(c) for c in charts)

    # By unit
    parts.append("<h2 id='units'>By organisational unit</h2>")
    unit_rows = []
    for r in rates.itertuples(index=False):
        cells = [_td(f"{r.name} ({r.kind})")]
        if r.suppressed:
            cells += [_hidden_td(k_unit), _td(fmt(r.headcount)), _hidden_td(k_unit)]
        else:
            cells += [
                _td(fmt(r.respondents)),
                _td(fmt(r.headcount)),
                _td(fmt(r.response_rate, "%")),
            ]
        unit_rows.append("<tr>" + "".join(cells) + "</tr>")
    parts.append(
        "<h3>Response rates</h3>"
        + _raw_table(["Unit", "Respondents", "Headcount", "Response rate"], unit_rows)
    )
    for level in LEVELS[1:]:
        matrix = breakdown_matrix(tables, level, k_unit)
        if matrix:
            parts.append(f"<h3>By {escape(breakdown_label(level).lower())}</h3>{matrix}")

    # By characteristic
    characteristic_parts = [
        f"<h3>{escape(breakdown_label(key))}</h3>{breakdown_matrix(tables, key, k_char)}"
        for key in CHARACTERISTICS
        if not results[results["breakdown"] == key].empty
    ]
    if characteristic_parts:
        parts.append("<h2 id='characteristics'>By protected characteristic</h2>")
        parts.extend(characteristic_parts)
    intersections = sorted({b for b in results["breakdown"] if "×" in b})
    if intersections:
        parts.append("<h2 id='intersections'>Intersections</h2>")
        for breakdown in intersections:
            parts.append(
                f"<h3>{escape(breakdown_label(breakdown))}</h3>{breakdown_matrix(tables, breakdown, k_char)}"
            )

    # Gaps
    gaps = tables.gaps
    if not gaps.empty:
        parts.append("<h2 id='gaps'>Differences between groups</h2>")
        parts.append(
            "<p>Each group compared with everyone else: chi-square test where the expected counts allow, otherwise Fisher's exact test; p-values adjusted for the number of tests in this report (Benjamini-Hochberg). Significant means adjusted p &lt; 0.05.</p>"
        )
        rows = []
        for g in gaps.sort_values("q_value").itertuples(index=False):
            rows.append(
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
            )
        parts.append(
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
            )
        )

    # Distribution
    parts.append("<h2 id='questions'>Answers to each question</h2>")
    dist = tables.distribution
    overall_dist = (
        dist[dist["breakdown"] == "all"]
        if tables.scope is None
        else dist[(dist["group"] == tables.scope) & dist["breakdown"].isin(LEVELS)]
    )
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        rows_q = overall_dist[overall_dist["question"] == question.key]
        if rows_q.empty:
            continue
        labels = {o.key: localise(o.text, "en") for o in question.choices()}
        table_rows = []
        for r in rows_q.itertuples(index=False):
            if r.suppressed:
                table_rows.append(
                    "<tr>"
                    + _td(labels.get(r.option, r.option))
                    + _hidden_td(k_unit)
                    + _hidden_td(k_unit)
                    + "</tr>"
                )
            else:
                table_rows.append(
                    "<tr>"
                    + _td(labels.get(r.option, r.option))
                    + _td(fmt(r.count))
                    + _td(fmt(r.pct, "%"))
                    + "</tr>"
                )
        parts.append(
            f"<h3>{escape(localise(question.text, 'en'))}</h3>"
            + _raw_table(["Answer", "Count", "%"], table_rows)
        )

    # Trend
    trend = tables.trend
    if not trend.empty and trend["wave"].nunique() > 1:
        parts.append("<h2 id='trend'>Trend across waves</h2>")
        pivot_rows = []
        waves = list(dict.fromkeys(trend["label"]))
        for question in tables.questions:
            rows_q = trend[trend["question"] == question.key]
            if rows_q.empty:
                continue
            cells = [_td(localise(question.text, "en"))]
            for wave in waves:
                match = rows_q[rows_q["label"] == wave]
                if match.empty:
                    cells.append(_td(""))
                elif bool(match.iloc[0]["suppressed"]):
                    cells.append(_hidden_td(k_unit))
                else:
                    suffix = "%" if match.iloc[0]["metric"].startswith("pct") else ""
                    cells.append(
                        _td(fmt(float(match.iloc[0]["value"]), suffix, 0 if suffix else 1))
                    )
            pivot_rows.append("<tr>" + "".join(cells) + "</tr>")
        parts.append(_raw_table(["Question", *waves], pivot_rows))

    # Comments
    parts.append("<h2 id='comments'>Comments</h2>")
    if tables.comments.empty:
        parts.append(
            f"<p>No comments are shown: there are none, or the group has fewer than {tables.k_comments} people.</p>"
        )
    else:
        texts = {q.key: localise(q.text, "en") for q in tables.questions}
        for question, rows_c in tables.comments.groupby("question", sort=False):
            parts.append(
                f"<h3>{escape(texts.get(str(question), str(question)))}</h3><ul>"
                + "".join(f"<li>{escape(t)}</li>" for t in rows_c["text"])
                + "</ul>"
            )

    parts.append("<h2 id='method'>How to read this report</h2>")
    parts.append(
        "<ul class='points'><li>% favourable = agree + strongly agree, out of everyone who answered the question (neither agree nor disagree counts; \u201cprefer not to say\u201d and skipped do not).</li>"
        "<li>eNPS = % scoring 9-10 minus % scoring 0-6 on the 0-10 recommendation question.</li>"
        "<li>Intervals are Wilson 95% confidence intervals.</li>"
        "<li>\u201cPrefer not to say\u201d and \u201cNot answered\u201d are reported as groups of their own and never guessed.</li>"
        "<li>Response rate = respondents / headcount of the unit and everything below it.</li>"
        f"<li>{escape(tables.publication_note)}</li></ul>"
    )
    body = "\n".join(parts)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def write_html(tables: Tables, path: Path) -> None:
    path.write_text(render(tables), encoding="utf-8")
