"""waves: the day a wave's results were first released in a report

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases: a batch "copy and rename" of waves on SQLite would
# drop the table that responses and participations point at.
def upgrade() -> None:
    op.add_column("waves", sa.Column("reported_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("waves", "reported_on")
