"""The report document: one structure every renderer walks, with every figure decided."""

from __future__ import annotations

from datetime import date

from analysis import document, render_html, views
from analysis.document import HIDDEN, Bullets, Heading, Paragraph, Table
from analysis.publication import publish
from tests.unit.test_publication import AREAS, RELEASED, people, wave_data

TODAY = date(2026, 6, 2)


def publication():  # type: ignore[no-untyped-def]
    rows = (
        people("A1", "male", 30, bullied="no")
        + people("A2", "female", 12, bullied="yes")
        + people("A2", "male", 20, bullied="no")
        + people("A3", "male", 3, bullied="yes")
    )
    return publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)


def plain_text(doc: document.Document) -> str:
    """A whole renderer in a few lines: what a chat summary or JSON export would do."""
    lines: list[str] = []
    for block in doc:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + block.text)
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Bullets):
            lines += [f"- {item}" for item in block.items]
        elif isinstance(block, Table):
            lines.append(" | ".join(block.headers))
            lines += [" | ".join(c.text for c in row) for row in block.rows]
    return "\n".join(lines)


def test_every_table_row_fits_its_headers_and_hidden_cells_carry_no_figure() -> None:
    doc = document.build(views.tables(publication(), today=TODAY))
    tables = [b for b in doc if isinstance(b, Table)]
    assert tables
    for table in tables:
        for row in table.rows:
            assert len(row) == len(table.headers)
            for cell in row:
                if cell.hidden:
                    assert cell.text == HIDDEN and "fewer than" in cell.why


def test_the_small_area_is_hidden_in_every_table_that_lists_it() -> None:
    doc = document.build(views.tables(publication(), today=TODAY))
    listed = [
        (block.headers, row)
        for block in doc
        if isinstance(block, Table)
        for row in block.rows
        if row[0].text.startswith("Area Three")
    ]
    assert len(listed) >= 2  # response rates, the by-area table and area intersections
    for headers, row in listed:
        for header, cell in zip(headers[1:], row[1:], strict=True):
            if header == "Headcount":
                continue  # a published fact about the unit, not about who answered
            assert cell.hidden or cell.text == "", (header, cell)


def test_a_new_renderer_needs_only_presentation() -> None:
    published = publication()
    doc = document.build(views.tables(published, scope="A2", today=TODAY))
    text = plain_text(doc)
    html = render_html.render(views.tables(published, scope="A2", today=TODAY))
    assert "Respondents: 32" in text and "Respondents: 32" in html
    assert published.audit.sentence() in text
    for table in (b for b in doc if isinstance(b, Table)):
        for row in table.rows:
            for cell in row:
                assert cell.text.replace("'", "&#x27;") in html or "&" in cell.text
