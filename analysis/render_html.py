"""A self-contained HTML report: charts embedded, readable on a phone, printable.

It presents the report document (analysis/document.py) and decides no figure itself."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from analysis import document
from analysis.document import Block, Bullets, Cell, Heading, Paragraph, Table
from analysis.tables import Tables

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #0072B2}
h3{font-size:1.05rem;margin-top:1.4rem}
.meta{color:#444}.note{background:#f3f6fa;border-left:4px solid #0072B2;padding:.6rem .8rem;margin:1rem 0}
.synthetic{background:#fff3cd;border:2px solid #E69F00;padding:.6rem .8rem;font-weight:bold}
.scroll{overflow-x:auto}.scroll:focus{outline:3px solid #b35900;outline-offset:2px}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#eef2f7}
td.hidden{color:#777;text-align:center}td.ind{font-style:italic}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#444}
ul.points li{margin:.25rem 0}
@media print{body{max-width:none}h2{page-break-before:always}h2:first-of-type{page-break-before:auto}.scroll{overflow:visible}}
"""


def _cell(cell: Cell) -> str:
    if cell.hidden:
        return f"<td class='hidden' title='{escape(cell.why)}'>{escape(cell.text)}</td>"
    if cell.indicative:
        return f"<td class='ind'>{escape(cell.text)}</td>"
    return f"<td>{escape(cell.text)}</td>"


def _table(table: Table) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows)
    # A wide table scrolls inside a focusable, named region, so it can be scrolled from the
    # keyboard (WCAG 2.1.1); its name is the table's columns.
    name = escape(", ".join(table.headers))
    return (
        f"<div class='scroll' tabindex='0' role='region' aria-label='{name}'>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def block_html(block: Block) -> str:
    """One block of the report document as HTML (the dashboard shows them too)."""
    if isinstance(block, Heading):
        anchor = f" id='{escape(block.anchor)}'" if block.anchor else ""
        return f"<h{block.level}{anchor}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        if block.style == "label":
            return f"<p><b>{escape(block.text)}</b></p>"
        if block.style == "note":
            return f"<div class='note'>{escape(block.text)}</div>"
        css = {"body": "", "small": "meta", "banner": "synthetic"}.get(block.style, block.style)
        return (
            f"<p class='{css}'>{escape(block.text)}</p>" if css else f"<p>{escape(block.text)}</p>"
        )
    if isinstance(block, Bullets):
        return (
            "<ul class='points'>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
        )
    if isinstance(block, Table):
        return _table(block)
    data = base64.b64encode(block.chart.png).decode()
    return (
        f"<figure><img src='data:image/png;base64,{data}' alt='{escape(block.chart.alt)}'>"
        f"<figcaption>{escape(block.chart.title)}</figcaption></figure>"
    )


def render(tables: Tables) -> str:
    doc = document.build(tables)
    body = "\n".join(block_html(block) for block in doc)
    return (
        f"<!doctype html><html lang='{doc.language}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(doc.title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def write_html(tables: Tables, path: Path) -> None:
    path.write_text(render(tables), encoding="utf-8")
