"""waves: the organisation and the monitoring categories frozen when a wave opens

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00

Waves already there get a copy of the organisation as it is now (their audience and its
ancestors): the tree they opened with was never recorded, and today's tree is what their
reports have used so far. Their monitoring categories stay unset and are taken from the
monitoring survey when they are first published.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("waves", sa.Column("monitoring_definition", sa.JSON(), nullable=True))
    op.create_table(
        "wave_org_units",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=32), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("in_audience", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("wave_id", "unit_id"),
    )
    bind = op.get_bind()
    units = bind.execute(sa.text("SELECT id, code, name, kind, parent_id, headcount FROM units"))
    by_id = {row[0]: row for row in units}
    code_of = {unit_id: row[1] for unit_id, row in by_id.items()}
    children: dict[object, list[object]] = {}
    for unit_id, row in by_id.items():
        if row[4] is not None:
            children.setdefault(row[4], []).append(unit_id)
    audiences: dict[int, list[object]] = {}
    for wave_id, unit_id in bind.execute(sa.text("SELECT wave_id, unit_id FROM wave_units")):
        audiences.setdefault(wave_id, []).append(unit_id)
    table = sa.table(
        "wave_org_units",
        sa.column("wave_id", sa.Integer()),
        sa.column("unit_id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("parent_code", sa.String()),
        sa.column("headcount", sa.Integer()),
        sa.column("in_audience", sa.Boolean()),
    )
    rows = []
    for wave_id, roots in audiences.items():
        inside: set[object] = set()
        stack = list(roots)
        while stack:
            unit_id = stack.pop()
            if unit_id in by_id and unit_id not in inside:
                inside.add(unit_id)
                stack.extend(children.get(unit_id, []))
        ancestors: set[object] = set()
        for root in roots:
            parent = by_id[root][4] if root in by_id else None
            while parent is not None and parent not in ancestors and parent not in inside:
                ancestors.add(parent)
                parent = by_id[parent][4]
        for unit_id in inside | ancestors:
            _, code, name, kind, parent_id, headcount = by_id[unit_id]
            rows.append(
                {
                    "wave_id": wave_id,
                    "unit_id": unit_id,
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "parent_code": code_of.get(parent_id) if parent_id is not None else None,
                    "headcount": headcount if unit_id in inside else None,
                    "in_audience": unit_id in inside,
                }
            )
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("wave_org_units")
    op.drop_column("waves", "monitoring_definition")
