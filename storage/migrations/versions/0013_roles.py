"""roles and the access log: who may see which results, and what they saw

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("ticket", sa.String(length=32), nullable=True),
        sa.Column("ticket_expires", sa.Float(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("chat_sealed", sa.Text(), nullable=True),
        sa.Column("bound_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("menu_set", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "role IN ('officer', 'manager', 'network_lead', 'admin')", name="role_kind"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roles_holder", "roles", ["holder"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("survey_key", sa.String(length=64), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_log_day", "access_log", ["day"])


def downgrade() -> None:
    op.drop_index("ix_access_log_day", table_name="access_log")
    op.drop_table("access_log")
    op.drop_index("ix_roles_holder", table_name="roles")
    op.drop_table("roles")
