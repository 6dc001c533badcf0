"""responses: the publication version from which a withdrawn import no longer counts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 11:00:00

A file import withdrawn after its wave was released stays in the database, marked with the
version of the wave's publication that corrects it, so that any later correction can be
audited together with every version already published.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases, as in 0003 and 0007.
def upgrade() -> None:
    op.add_column("responses", sa.Column("withdrawn_in", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("responses", "withdrawn_in")
