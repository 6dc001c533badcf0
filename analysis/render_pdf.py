"""PDF (A4) with the same content as the HTML report, using an embedded Unicode font.

It presents the report document (analysis/document.py) and decides no figure itself."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import matplotlib
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

from analysis import document
from analysis.document import Cell
from analysis.tables import Tables
from analysis.words import w

WIDTH = 172 * mm  # A4 less the margins
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


def _cell(cell: Cell, styles: dict[str, ParagraphStyle]) -> Paragraph:
    text = _esc(cell.text)
    return Paragraph(f"<i>{text}</i>" if cell.indicative else text, styles["small"])


def _table(table: document.Table, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [[Paragraph(_esc(h), styles["small"]) for h in table.headers]]
    rows += [[_cell(c, styles) for c in row] for row in table.rows]
    columns = len(table.headers)
    if table.widths is not None:
        widths = [WIDTH * w / sum(table.widths) for w in table.widths]
    else:
        # The first column holds labels; the rest share what is left of the A4 width.
        first = min(48 * mm, WIDTH / 2) if columns > 1 else WIDTH
        widths = [first] + [(WIDTH - first) / max(columns - 1, 1)] * (columns - 1)
    out = Table(rows, colWidths=widths, repeatRows=1)
    out.setStyle(
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
    return out


def _flowables(block: document.Block, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if isinstance(block, document.Heading):
        style = {1: "title", 2: "h2"}.get(block.level, "h3")
        heading = Paragraph(_esc(block.text), styles[style])
        return [PageBreak(), heading] if block.new_page else [heading]
    if isinstance(block, document.Paragraph):
        if block.style == "label":
            return [Paragraph(f"<b>{_esc(block.text)}</b>", styles["body"])]
        style = {"banner": "banner", "small": "small", "meta": "body"}.get(block.style, "body")
        return [Spacer(1, 4), Paragraph(_esc(block.text), styles[style]), Spacer(1, 2)]
    if isinstance(block, document.Bullets):
        return [Paragraph("• " + _esc(item), styles["body"]) for item in block.items]
    if isinstance(block, document.Table):
        return [_table(block, styles)]
    image = Image(io.BytesIO(block.chart.png))
    scale = min(WIDTH / image.imageWidth, 120 * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return [image, Paragraph(_esc(block.chart.alt[:600]), styles["small"]), Spacer(1, 6)]


def render(tables: Tables) -> bytes:
    _register_fonts()
    styles = _styles()
    doc = document.build(tables)
    story = [f for block in doc for f in _flowables(block, styles)]
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=doc.title,
        lang=doc.language,
    )

    def on_page(canvas: Any, page: Any) -> None:
        # Every page says what it is, so a page printed on its own is not mistaken for
        # another report (or synthetic figures for real ones).
        canvas.saveState()
        canvas.setFont(FONT_BOLD if doc.synthetic else FONT, 7)
        canvas.drawString(18 * mm, 9 * mm, doc.footer[:150])
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, w("page", doc.language, n=page.page))
        canvas.restoreState()

    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def write_pdf(tables: Tables, path: Path) -> None:
    path.write_bytes(render(tables))
