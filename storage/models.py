"""Database tables.

The anonymity model (docs/privacy.md) is this schema's first duty:

* ``participations`` says who (a keyed pseudonym) took part in which wave. It has no date,
  no unit and no link to a response.
* ``responses`` and ``answers`` say what was answered. They hold no Telegram id, username,
  pseudonym or anything derived from them, no time finer than a date, and random ids.
* On SQLite the respondent tables are WITHOUT ROWID, so rows are kept in the order of
  their random keys and the file does not reveal in which order they were written.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from surveys.equality import CHARACTERISTICS

NO_ROWID = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """An organisational unit: service, area, station, watch or department."""

    __tablename__ = "units"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    headcount: Mapped[int | None] = mapped_column(Integer)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], lazy="raise")

    __table_args__ = (CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount"),)


class Schedule(Base):
    """A survey that opens by itself, once per period (surveys/cadence.py).

    Removing a schedule keeps its row (its waves name it) and stops it opening more.
    """

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    every: Mapped[str] = mapped_column(String(8))
    open_on: Mapped[int] = mapped_column(SmallInteger)
    days: Mapped[int] = mapped_column(SmallInteger)
    label_format: Mapped[str] = mapped_column(String(200))
    # The audience: unit codes; empty means the whole organisation.
    unit_codes: Mapped[list[str]] = mapped_column(JSON)
    created_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("every IN ('month', 'quarter', 'year')", name="every"),
        CheckConstraint("open_on >= 1 AND days >= 1", name="days"),
    )


class ScheduledWave(Base):
    """The wave a schedule opened for one of its periods (2026-Q4). The primary key means a
    period never gets two waves, however many processes try to open it at once."""

    __tablename__ = "scheduled_waves"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="RESTRICT"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"), unique=True)


class Wave(Base):
    """One run of a survey: its audience, dates and the thresholds frozen when it opened."""

    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_key: Mapped[str] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))  # open | closed
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # The day the wave's results were first released in a report. From then on its set of
    # responses is fixed (docs/privacy.md, rule 4), so no second report can differ from the first
    # by a handful of late answers.
    reported_on: Mapped[date | None] = mapped_column(Date)
    k_unit: Mapped[int] = mapped_column(SmallInteger)
    k_characteristic: Mapped[int] = mapped_column(SmallInteger)
    k_comments: Mapped[int] = mapped_column(SmallInteger)
    # The normalised survey definition as it was when the wave opened, so later edits
    # to the YAML file cannot change what stored answers mean.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The equality monitoring survey as it was when the wave opened: its categories and
    # labels are the groups of the wave's breakdowns. None for waves opened before it was
    # frozen (they use the monitoring survey current when first released).
    monitoring_definition: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint(
            "k_unit >= 5 AND k_characteristic >= 5 AND k_comments >= 10", name="thresholds"
        ),
    )


class WaveUnit(Base):
    """A unit in a wave's audience (the unit and everything below it)."""

    __tablename__ = "wave_units"

    wave_id: Mapped[int] = mapped_column(
        ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )


class WaveOrgUnit(Base):
    """The organisation as it was when a wave opened: its audience and their ancestors.

    Results are grouped by this copy, not by the live tree, so re-parenting a unit,
    renaming it or changing a headcount affects only waves opened afterwards.
    """

    __tablename__ = "wave_org_units"

    wave_id: Mapped[int] = mapped_column(
        ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    headcount: Mapped[int | None] = mapped_column(Integer)
    # False for an ancestor that is outside the audience (kept so levels still resolve).
    in_audience: Mapped[bool] = mapped_column(default=True)


class Publication(Base):
    """A wave's released results: every figure any view may show, protected and frozen.

    Written once when the wave is released and never changed. A correction is a new
    version that names the one it supersedes; the old one stays on record, since it has
    been seen. The document is analysis/publication.py's JSON; `digest` is its SHA-256.
    """

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int] = mapped_column(SmallInteger)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    released_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("wave_id", "version", name="one_version"),)


class Participation(Base):
    """Who took part in a wave, by keyed pseudonym; deliberately no date and no response link."""

    __tablename__ = "participations"

    wave_id: Mapped[int] = mapped_column(
        ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (NO_ROWID,)


class Response(Base):
    """One submitted response: anonymous, dated to the day, with an equality snapshot."""

    __tablename__ = "responses"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    # For a chat response, the day its batch was released (storage/batches.py), never the
    # day it was submitted; for an imported one, the day the file gives.
    submitted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | import
    # The batch a chat response was released in (None for imports): every response of a
    # batch was written in one transaction, in a shuffled order.
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # The file import a response came from (None for the chat), so a wrong import can be
    # withdrawn whole before the wave is released.
    import_id: Mapped[str | None] = mapped_column(String(16), index=True)
    # The publication version from which a withdrawn import no longer counts (None: counted).
    # Kept, not deleted, once a version has counted it: every later correction is audited
    # together with every version already seen, and needs what each of them counted.
    withdrawn_in: Mapped[int | None] = mapped_column(SmallInteger)

    # Equality snapshot: one nullable column per characteristic (None = not answered).
    age_band: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(40))
    gender_identity: Mapped[str | None] = mapped_column(String(40))
    sexual_orientation: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    ethnic_group: Mapped[str | None] = mapped_column(String(40))
    religion: Mapped[str | None] = mapped_column(String(40))
    disability: Mapped[str | None] = mapped_column(String(40))
    marriage_civil_partnership: Mapped[str | None] = mapped_column(String(40))
    pregnancy_maternity: Mapped[str | None] = mapped_column(String(40))
    caring: Mapped[str | None] = mapped_column(String(40))
    staff_group: Mapped[str | None] = mapped_column(String(40))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="raise"
    )

    __table_args__ = (NO_ROWID,)


class Answer(Base):
    """One answer; a multiple-choice answer is one row per chosen option (position 0, 1, ...)."""

    __tablename__ = "answers"

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=0)
    option: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers", lazy="raise")

    __table_args__ = (NO_ROWID,)


class Person(Base):
    """What the bot keeps about a person, under their pseudonym; all of it is erasable.

    The equality profile (copied onto responses as a snapshot), the chat id and the home
    unit (both kept only while the person agrees to be contacted about surveys) are sealed
    (surveys/sealing.py): someone holding the database can read none of them, so cannot
    match a profile to the snapshots on responses. The profile opens only with the
    person's own Telegram id, which is stored nowhere; the chat id and home unit with the
    server's key, so the bot can choose whom to invite. Last use is kept to the month.
    """

    __tablename__ = "people"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    consented: Mapped[bool] = mapped_column(default=False)
    contact_ok: Mapped[bool] = mapped_column(default=False)
    contact_sealed: Mapped[str | None] = mapped_column(Text)
    contact_active: Mapped[bool] = mapped_column(default=False)
    # not_offered | answered | declined
    monitoring: Mapped[str] = mapped_column(String(12), default="not_offered")
    profile_sealed: Mapped[str | None] = mapped_column(Text)
    # The unit the person belongs to, for invitations to waves of their unit's surveys.
    home_unit_sealed: Mapped[str | None] = mapped_column(Text)
    # Whether messages about results ("you said, we did") are welcome too: True for those
    # who agreed to contact once the question said so, None for those who agreed before
    # and have not been asked yet (bot/followups.py asks them once).
    results_ok: Mapped[bool | None] = mapped_column(default=None)
    # The first day of the month the person last used the bot (for retention).
    last_seen_month: Mapped[date] = mapped_column(Date)

    __table_args__ = (NO_ROWID,)


class OutboxMessage(Base):
    """A message the bot will send to someone who agreed to be contacted (an invitation).

    Sent at most once: `key` (an HMAC of kind, wave and person under the server's key, so
    it names nobody) refuses a second copy, and a row is marked `sending` in its own
    transaction before the call to Telegram, so after a crash it is never sent again
    (`unknown`). The chat id is sealed, as on the person's row. Rows are deleted some days
    after they are done (FIREVOICE_OUTBOX_KEEP_DAYS).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"))
    chat_sealed: Mapped[str] = mapped_column(Text)
    # For a follow-up: which one and for which unit, sealed like the chat id.
    detail_sealed: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    # queued | sending | sent | failed | unknown
    state: Mapped[str] = mapped_column(String(8), default="queued")
    not_before: Mapped[float] = mapped_column(Float)  # Unix time
    created_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed', 'unknown')", name="state"
        ),
        Index("ix_outbox_state", "state", "not_before"),
    )


class RoleGrant(Base):
    """A role (officer, manager, network lead, admin) over a unit and what is below it.

    Granted by a signed, single-use invitation link (`firevoice role invite`); opening it
    binds the role to whoever opened it. The holder is kept as an HMAC of their Telegram id
    under a key of its own purpose (surveys/pseudonym.py ROLE_PURPOSE), never as their
    respondent pseudonym, so a holder of the database cannot tell which respondent holds a
    role. The chat id (for the holder's command menu) is sealed with the server key.
    """

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(120))
    created_on: Mapped[date] = mapped_column(Date)
    # The invitation: its random part (the link carries it, signed) and when it runs out.
    ticket: Mapped[str | None] = mapped_column(String(32))
    ticket_expires: Mapped[float] = mapped_column(Float)  # Unix time
    holder: Mapped[str | None] = mapped_column(String(64), index=True)
    # Or granted to an e-mail address, for sign-in through the service's identity provider
    # (OpenID Connect) by desk staff without Telegram; no invitation link then.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    chat_sealed: Mapped[str | None] = mapped_column(Text)
    bound_on: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    # The holder's command menu shows the role's commands until housekeeping removes them.
    menu_set: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        CheckConstraint(
            "role IN ('officer', 'manager', 'network_lead', 'admin')", name="role_kind"
        ),
    )


class AccessRecord(Base):
    """One view or download of results by a role holder: who (role id and label), what
    (scope, wave, format) and the day. Kept FIREVOICE_AUDIT_KEEP_DAYS, then purged."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    role_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    survey_key: Mapped[str] = mapped_column(String(64))
    wave_id: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date, index=True)


class ProgressShown(Base):
    """A released response count shown during an open wave (/progress), by pool: the wave's
    disclosure audit takes the highest count each pool showed as published (a lower bound
    on that pool's respondents; surveys/progress.py). One row per distinct count."""

    __tablename__ = "progress_shown"

    wave_id: Mapped[int] = mapped_column(
        ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True
    )
    pool: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_shown_on: Mapped[date] = mapped_column(Date)


class Followup(Base):
    """A "you said, we did" message an officer approved: after a wave's release (action 0)
    or after one of its actions was done. Its texts, per unit and language, are frozen as
    approved, since managers' notes are free text; one row per (wave, action), so each is
    sent once."""

    __tablename__ = "followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"))
    action_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: the wave's results
    unit_code: Mapped[str] = mapped_column(String(32))  # whose audience below it hears
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)  # unit -> language -> text
    approved_by: Mapped[str] = mapped_column(String(120))
    approved_on: Mapped[date] = mapped_column(Date)
    queued: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("wave_id", "action_id", name="uq_followups_wave_action"),)


class DashboardTicket(Base):
    """A single-use dashboard sign-in link (sent by /dashboard in the chat), by the SHA-256
    of its random token; it lasts minutes and opens a session only by a POST."""

    __tablename__ = "dashboard_tickets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    expires: Mapped[float] = mapped_column(Float)  # Unix time
    used: Mapped[bool] = mapped_column(default=False)


class DashboardSession(Base):
    """A signed-in dashboard session, by the SHA-256 of its cookie's random value. It ends
    when it expires, on sign-out, or when its role is revoked."""

    __tablename__ = "dashboard_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    expires: Mapped[float] = mapped_column(Float)  # Unix time
    ended: Mapped[float | None] = mapped_column(Float)
    started_on: Mapped[date] = mapped_column(Date, index=True)


class Action(Base):
    """An improvement-register entry: what is being done about a wave's results, for a unit
    (surveys/actions.py). Free text written by managers; it names no respondent."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"), index=True)
    area: Mapped[int] = mapped_column(SmallInteger)  # FRS Equality Framework area
    item: Mapped[str | None] = mapped_column(String(64))  # the question it answers
    consideration: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(String(32), index=True)
    lead: Mapped[str] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    progress: Mapped[str] = mapped_column(Text, default="")
    created_on: Mapped[date] = mapped_column(Date)
    updated_on: Mapped[date] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'done')", name="action_status"),
    )


class PendingResponse(Base):
    """A submitted chat response waiting for its batch (storage/batches.py).

    Written in the submission's own transaction, together with the participation, so it
    is sealed with the server key (and padded to a fixed size), and keyed at random. It
    names only its wave and its pool (the unit, or a watch's station) in the clear: that
    is what the batch it will join reveals anyway.
    """

    __tablename__ = "pending_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="RESTRICT"))
    pool: Mapped[str] = mapped_column(String(32))
    sealed: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_pending_responses_pool", "wave_id", "pool"), NO_ROWID)


class ConversationState(Base):
    """Unfinished conversations: where a person is and their answers so far.

    Keyed by an HMAC of the chat and user ids, never by the ids themselves, and sealed
    with a key that needs the person's Telegram id (surveys/sealing.py), so neither the
    row nor the deleted copy a submission leaves behind can be read from the database.
    """

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    updated_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (NO_ROWID,)


class SeenUpdate(Base):
    """Telegram update ids already handled, so a redelivered update is processed once."""

    __tablename__ = "seen_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_on: Mapped[date] = mapped_column(Date, index=True)


# The snapshot columns must match the characteristics the domain defines.
_SNAPSHOT_COLUMNS = {c.name for c in Response.__table__.columns} & set(CHARACTERISTICS)
if set(CHARACTERISTICS) != _SNAPSHOT_COLUMNS:
    raise RuntimeError("the responses table must have one column per characteristic")
