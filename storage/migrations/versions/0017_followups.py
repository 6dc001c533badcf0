"""followups: approved "you said, we did" messages; outbox detail; people.results_ok

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("approved_by", sa.String(length=120), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wave_id", "action_id", name="uq_followups_wave_action"),
    )
    # A plain ADD COLUMN: a batch copy would lose the people table's WITHOUT ROWID.
    op.add_column("outbox", sa.Column("detail_sealed", sa.Text(), nullable=True))
    op.add_column("people", sa.Column("results_ok", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("results_ok")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("detail_sealed")
    op.drop_table("followups")
