"""dashboard sign-in tickets and sessions; roles granted to e-mail addresses

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("roles") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.create_index("ix_roles_email", ["email"])
    op.create_table(
        "dashboard_tickets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "dashboard_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.Column("ended", sa.Float(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_dashboard_sessions_started_on", "dashboard_sessions", ["started_on"])


def downgrade() -> None:
    op.drop_index("ix_dashboard_sessions_started_on", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
    op.drop_table("dashboard_tickets")
    with op.batch_alter_table("roles") as batch:
        batch.drop_index("ix_roles_email")
        batch.drop_column("email")
