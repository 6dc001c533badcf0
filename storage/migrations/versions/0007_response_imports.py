"""responses: which file import each imported response came from

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 09:00:00

Responses imported before this revision have no import id and cannot be withdrawn by one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases, as in 0003: a batch copy of responses on SQLite
# would drop the table that answers point at.
def upgrade() -> None:
    op.add_column("responses", sa.Column("import_id", sa.String(length=16), nullable=True))
    op.create_index("ix_responses_import_id", "responses", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_responses_import_id", table_name="responses")
    op.drop_column("responses", "import_id")
