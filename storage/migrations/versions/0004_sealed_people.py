"""people: sealed profile and contact, last use kept to the month

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:30:00

A readable equality profile next to a readable chat id let anyone with the database match
a person to the responses carrying the same snapshot. The new columns hold sealed boxes
(surveys/sealing.py). A stored profile cannot be sealed here: its key needs the person's
Telegram id, which the database never held. So existing profiles and chat ids are
dropped, not carried over: those people are offered the equality questions again at their
next survey, and nobody is contacted who has not said yes again. Nothing else changes
(pseudonym, consent, language, declined monitoring).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED = "pseudonym, language, consented, contact_ok, contact_active, monitoring"


def _swap(extra: list[sa.Column[Any]], columns: str, select: str) -> None:
    op.create_table(
        "people_new",
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("consented", sa.Boolean(), nullable=False),
        sa.Column("contact_ok", sa.Boolean(), nullable=False),
        sa.Column("contact_active", sa.Boolean(), nullable=False),
        sa.Column("monitoring", sa.String(length=12), nullable=False),
        *extra,
        sa.PrimaryKeyConstraint("pseudonym"),
        sqlite_with_rowid=False,
    )
    # Rows go into the new table sorted by pseudonym, so on PostgreSQL their physical
    # order says nothing about when anyone first used the bot.
    op.execute(f"INSERT INTO people_new ({columns}) {select} ORDER BY pseudonym")
    op.drop_table("people")
    op.rename_table("people_new", "people")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE people RENAME CONSTRAINT people_new_pkey TO people_pkey")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    month = (
        "date(last_seen_on, 'start of month')"
        if sqlite
        else "CAST(date_trunc('month', last_seen_on) AS DATE)"
    )
    false = "0" if sqlite else "false"
    _swap(
        [
            sa.Column("contact_sealed", sa.Text(), nullable=True),
            sa.Column("profile_sealed", sa.Text(), nullable=True),
            sa.Column("last_seen_month", sa.Date(), nullable=False),
        ],
        f"{COPIED}, last_seen_month",
        f"SELECT pseudonym, language, consented, {false}, {false}, "
        "CASE WHEN monitoring = 'answered' THEN 'not_offered' ELSE monitoring END, "
        f"{month} FROM people",
    )


def downgrade() -> None:
    false = "0" if op.get_bind().dialect.name == "sqlite" else "false"
    _swap(
        [
            sa.Column("contact_chat_id", sa.BigInteger(), nullable=True),
            sa.Column("profile", sa.JSON(), nullable=True),
            sa.Column("last_seen_on", sa.Date(), nullable=False),
        ],
        f"{COPIED}, last_seen_on",
        f"SELECT pseudonym, language, consented, {false}, {false}, "
        "CASE WHEN monitoring = 'answered' THEN 'not_offered' ELSE monitoring END, "
        "last_seen_month FROM people",
    )
