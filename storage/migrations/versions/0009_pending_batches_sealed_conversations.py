"""pending responses released in batches; sealed conversations

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 14:30:00

Chat responses now wait, sealed, in `pending_responses` and move into `responses` in
shuffled batches (storage/batches.py), which carry a batch id. Unfinished conversations are
now sealed with a key that needs the person's Telegram id, which the database does not
hold, so readable ones cannot be converted: they are deleted, and those people start their
survey again from the beginning.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=32), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_pending_responses_pool", "pending_responses", ["wave_id", "pool"])
    op.add_column("responses", sa.Column("batch_id", sa.String(length=32), nullable=True))
    op.create_index("ix_responses_batch_id", "responses", ["batch_id"])
    op.drop_table("conversation_states")
    op.create_table(
        "conversation_states",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("updated_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("conversation_states")
    op.create_table(
        "conversation_states",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        sqlite_with_rowid=False,
    )
    op.drop_index("ix_responses_batch_id", table_name="responses")
    op.drop_column("responses", "batch_id")
    op.drop_index("ix_pending_responses_pool", table_name="pending_responses")
    op.drop_table("pending_responses")
