"""schedules: surveys that open by themselves once per period

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 18:00:00

A schedule opens a wave of its survey once per month, quarter or year (surveys/cadence.py).
`scheduled_waves` records which wave each period got; its primary key makes a second wave
for the same period impossible.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("every", sa.String(length=8), nullable=False),
        sa.Column("open_on", sa.SmallInteger(), nullable=False),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("label_format", sa.String(length=200), nullable=False),
        sa.Column("unit_codes", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.CheckConstraint("every IN ('month', 'quarter', 'year')", name="every"),
        sa.CheckConstraint("open_on >= 1 AND days >= 1", name="days"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "scheduled_waves",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("schedule_id", "period"),
        sa.UniqueConstraint("wave_id"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_waves")
    op.drop_table("schedules")
