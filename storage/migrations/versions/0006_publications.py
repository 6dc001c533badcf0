"""publications: each released wave's protected results, stored once and frozen

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:00:00

Waves released before this revision get their publication the first time firevoice runs
after the upgrade (analysis/release.py `backfill`): building one needs the analysis code,
which a migration must not import.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["supersedes"], ["publications.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wave_id", "version", name="one_version"),
    )
    op.create_index("ix_publications_wave_id", "publications", ["wave_id"])


def downgrade() -> None:
    op.drop_index("ix_publications_wave_id", table_name="publications")
    op.drop_table("publications")
