"""actions: the improvement register

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.SmallInteger(), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=True),
        sa.Column("consideration", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("lead", sa.String(length=120), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("updated_on", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done')", name="action_status"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_actions_wave_id", "actions", ["wave_id"])
    op.create_index("ix_actions_unit_code", "actions", ["unit_code"])


def downgrade() -> None:
    op.drop_index("ix_actions_unit_code", table_name="actions")
    op.drop_index("ix_actions_wave_id", table_name="actions")
    op.drop_table("actions")
