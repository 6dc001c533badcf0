"""people: a sealed home unit

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 18:10:00

A person who agrees to be contacted keeps a home unit, sealed with the server's key like
their chat id, so the bot can invite them to their unit's waves. Empty for everyone until
they next answer a survey or set it in /profile.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("people", sa.Column("home_unit_sealed", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("home_unit_sealed")
