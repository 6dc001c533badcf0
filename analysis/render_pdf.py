"""PDF (A4) with the same content as the HTML report, using an embedded Unicode font."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

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
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def _register_fonts() -> None:
    # Welsh needs ŵ and ŷ, which the PDF core fonts lack: embed DejaVu Sans (ships with matplotlib).
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=FONT_BOLD, fontSize=16, leading=20
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=FONT_BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=10,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=8,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7, leading=9),
        "banner": ParagraphStyle(
            "banner",
            parent=body,
            fontName=FONT_BOLD,
            backColor=colors.HexColor("#fff3cd"),
            borderPadding=4,
        ),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(
    rows: list[list[str]], styles: dict[str, ParagraphStyle], widths: list[float] | None = None
) -> Table:
    cells = [[Paragraph(_esc(str(c)), styles["small"]) for c in row] for row in rows]
    if widths is None:
        # The first column holds labels; the rest share what is left of the A4 width.
        columns = max(len(row) for row in rows)
        available = 172 * mm
        first = min(48 * mm, available / 2) if columns > 1 else available
        rest = (available - first) / max(columns - 1, 1)
        widths = [first] + [rest] * (columns - 1)
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def summary_rows(tables: Tables, frame: pd.DataFrame) -> list[list[str]]:
    rows = [["Question", "n", "Result", "95% interval", "Mean / eNPS"]]
    for question in tables.questions:
        if question.type == QuestionType.FREE_TEXT:
            continue
        match = frame[frame["question"] == question.key]
        text = localise(question.text, "en")
        if match.empty:
            continue
        r = match.iloc[0]
        if bool(r["suppressed"]):
            rows.append([text, HIDDEN, HIDDEN, HIDDEN, HIDDEN])
            continue
        rows.append([text, *result_cells(question, r)])
    return rows


def matrix_rows(tables: Tables, breakdown: str) -> list[list[str]]:
    results = tables.results[tables.results["breakdown"] == breakdown]
    questions = [q for q in tables.questions if headline(q)]
    rows = [["Group", "n", *[q.key for q in questions]]]
    index = results.set_index(["group", "question"])
    for group in dict.fromkeys(results["group"]):
        first = results[results["group"] == group].iloc[0]
        row = [
            group_label(tables.group_labels, breakdown, group),
            HIDDEN if bool(first["suppressed"]) else fmt(first["n"]),
        ]
        for q in questions:
            if (group, q.key) not in index.index:
                row.append("")
                continue
            r = index.loc[(group, q.key)]
            row.append(HIDDEN if bool(r["suppressed"]) else fmt(r[headline(q)], "%"))
        rows.append(row)
    return rows


def render(tables: Tables) -> bytes:
    _register_fonts()
    styles = _styles()
    story: list[object] = []
    k_unit, k_char = tables.k_unit, tables.k_characteristic
    story.append(Paragraph(_esc(f"{tables.survey_title}: {tables.wave_label}"), styles["title"]))
    story.append(
        Paragraph(
            _esc(
                f"Scope: {tables.scope_name} · wave {tables.wave_id} · report made {tables.generated_on.isoformat()}"
            ),
            styles["body"],
        )
    )
    if tables.synthetic:
        story.append(Spacer(1, 4))
        story.append(
            Paragraph(
                "SYNTHETIC DATA: made-up responses for demonstration. It describes no real service or person.",
                styles["banner"],
            )
        )
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            _esc(
                f"To protect anonymity, no figure is shown for a group of fewer than {k_unit} people "
                f"(organisational units) or {k_char} people (equality groups), including groups with nobody in them, and some further figures "
                f"are hidden ({HIDDEN}) so hidden ones cannot be worked out by subtraction. Comments appear "
                f"only for groups of at least {tables.k_comments}, with names and contact details removed."
            ),
            styles["body"],
        )
    )
    story.append(Paragraph(_esc(tables.publication_note), styles["small"]))
    results = tables.results
    summary = (
        results[results["breakdown"] == "all"]
        if tables.scope is None
        else results[(results["group"] == tables.scope) & results["breakdown"].isin(LEVELS)]
    )
    story.append(Paragraph("Summary", styles["h2"]))
    story.append(
        _table(summary_rows(tables, summary), styles, [85 * mm, 15 * mm, 20 * mm, 25 * mm, 25 * mm])
    )

    story.append(Paragraph("Evidence by framework area", styles["h2"]))
    frsef = areas(tables, "frsef")
    for area in frsef:
        story.append(Paragraph(_esc(f"FRSEF {area.key}. {area.title}"), styles["h3"]))
        story.append(Paragraph("<b>Strengths</b>", styles["body"]))
        for text in area.strengths or ["None stood out."]:
            story.append(Paragraph("• " + _esc(text), styles["body"]))
        story.append(Paragraph("<b>Areas for improvement</b>", styles["body"]))
        for text in area.improvements or ["None stood out."]:
            story.append(Paragraph("• " + _esc(text), styles["body"]))
    for key in ("hmicfrs", "core_code", "equality_standard"):
        other = areas(tables, key)
        if other:
            story.append(Paragraph(_esc(FRAMEWORKS[key][0]), styles["h3"]))
            rows = [["Area", "Items"]] + [
                [
                    a.title,
                    "; ".join(
                        f"{i.text} {fmt(i.value, '%') if i.value is not None else HIDDEN}"
                        for i in a.items
                    ),
                ]
                for a in other
            ]
            story.append(_table(rows, styles, [50 * mm, 120 * mm]))
    reg = register(frsef)
    story.append(Paragraph("Improvement register (starter)", styles["h3"]))
    if reg.empty:
        story.append(Paragraph("No areas for improvement were identified.", styles["body"]))
    else:
        story.append(
            _table(
                [
                    ["Area", "Area for consideration", "Evidence", "Lead", "Due", "Status"],
                    *reg.astype(str).to_numpy().tolist(),
                ],
                styles,
                [30 * mm, 40 * mm, 64 * mm, 12 * mm, 12 * mm, 12 * mm],
            )
        )

    charts = chart_module.all_charts(tables)
    if charts:
        story.append(PageBreak())
        story.append(Paragraph("Charts", styles["h2"]))
        for chart in charts:
            image = Image(io.BytesIO(chart.png))
            scale = min(170 * mm / image.imageWidth, 120 * mm / image.imageHeight)
            image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
            story.append(image)
            story.append(Paragraph(_esc(chart.alt[:600]), styles["small"]))
            story.append(Spacer(1, 6))

    story.append(PageBreak())
    story.append(Paragraph("By organisational unit", styles["h2"]))
    rate_rows = [["Unit", "Respondents", "Headcount", "Response rate"]]
    for r in tables.response_rates.itertuples(index=False):
        if r.suppressed:
            rate_rows.append([f"{r.name} ({r.kind})", HIDDEN, fmt(r.headcount), HIDDEN])
        else:
            rate_rows.append(
                [
                    f"{r.name} ({r.kind})",
                    fmt(r.respondents),
                    fmt(r.headcount),
                    fmt(r.response_rate, "%"),
                ]
            )
    story.append(_table(rate_rows, styles, [80 * mm, 25 * mm, 25 * mm, 25 * mm]))
    for level in LEVELS[1:]:
        if not results[results["breakdown"] == level].empty:
            story.append(Paragraph(_esc(f"By {breakdown_label(level).lower()}"), styles["h3"]))
            story.append(_table(matrix_rows(tables, level), styles))
    if any(not results[results["breakdown"] == key].empty for key in CHARACTERISTICS):
        story.append(Paragraph("By protected characteristic", styles["h2"]))
        for key in CHARACTERISTICS:
            if not results[results["breakdown"] == key].empty:
                story.append(Paragraph(_esc(breakdown_label(key)), styles["h3"]))
                story.append(_table(matrix_rows(tables, key), styles))
    intersections = sorted({b for b in results["breakdown"] if "×" in b})
    if intersections:
        story.append(Paragraph("Intersections", styles["h2"]))
        for breakdown in intersections:
            story.append(Paragraph(_esc(breakdown_label(breakdown)), styles["h3"]))
            story.append(_table(matrix_rows(tables, breakdown), styles))
    if not tables.gaps.empty:
        story.append(Paragraph("Differences between groups", styles["h2"]))
        rows = [["Question", "Group", "n", "Group %", "Others %", "Test", "Adj. p", "Significant"]]
        for g in tables.gaps.sort_values("q_value").itertuples(index=False):
            rows.append(
                [
                    g.question,
                    f"{breakdown_label(g.breakdown)}: {group_label(tables.group_labels, g.breakdown, g.group)}",
                    str(g.n),
                    fmt(g.value, "%"),
                    fmt(g.rest_value, "%"),
                    g.method,
                    f"{g.q_value:.3f}",
                    ("yes" if g.significant else "no") + (" (indicative)" if g.indicative else ""),
                ]
            )
        story.append(_table(rows, styles))
    trend = tables.trend
    if not trend.empty and trend["wave"].nunique() > 1:
        story.append(Paragraph("Trend across waves", styles["h2"]))
        waves = list(dict.fromkeys(trend["label"]))
        rows = [["Question", *waves]]
        for question in tables.questions:
            match = trend[trend["question"] == question.key]
            if match.empty:
                continue
            row = [localise(question.text, "en")]
            for wave in waves:
                cell = match[match["label"] == wave]
                if cell.empty:
                    row.append("")
                elif bool(cell.iloc[0]["suppressed"]):
                    row.append(HIDDEN)
                else:
                    suffix = "%" if str(cell.iloc[0]["metric"]).startswith("pct") else ""
                    row.append(fmt(float(cell.iloc[0]["value"]), suffix, 0 if suffix else 1))
            rows.append(row)
        story.append(_table(rows, styles))
    story.append(Paragraph("Comments", styles["h2"]))
    if tables.comments.empty:
        story.append(
            Paragraph(
                _esc(
                    f"No comments are shown: there are none, or the group has fewer than {tables.k_comments} people."
                ),
                styles["body"],
            )
        )
    else:
        for text in tables.comments["text"]:
            story.append(Paragraph("• " + _esc(str(text)), styles["body"]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{tables.survey_title}: {tables.wave_label}",
    )
    footer = f"{tables.survey_title}: {tables.wave_label}"
    if tables.synthetic:
        footer = "SYNTHETIC DATA (made up, for demonstration) - " + footer

    def on_page(canvas: Any, document: Any) -> None:
        # Every page says what it is, so a page printed on its own is not mistaken for
        # another report (or synthetic figures for real ones).
        canvas.saveState()
        canvas.setFont(FONT_BOLD if tables.synthetic else FONT, 7)
        canvas.drawString(18 * mm, 9 * mm, footer[:150])
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def write_pdf(tables: Tables, path: Path) -> None:
    path.write_bytes(render(tables))
