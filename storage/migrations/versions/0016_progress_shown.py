"""progress_shown: released counts shown during a wave, for its audit

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "progress_shown",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_shown_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("wave_id", "pool", "count"),
    )


def downgrade() -> None:
    op.drop_table("progress_shown")
