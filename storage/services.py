"""Application services: the operations the CLI and the bot perform, each in one transaction."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import batches
from storage.batches import Batching
from storage.models import (
    ConversationState,
    Participation,
    Person,
    Publication,
    Response,
    Unit,
    Wave,
    WaveOrgUnit,
)
from storage.ports import Work
from storage.rows import new_response, wave_survey
from storage.uow import UnitOfWork
from surveys.engine import Answer
from surveys.equality import Snapshot
from surveys.importing import parse_responses_csv
from surveys.model import Survey, SurveyKind
from surveys.organisation import (
    ExistingUnit,
    OrgImportError,
    OrgUnit,
    UnitKind,
    audience_tree,
    check_tree,
    parse_org_csv,
)

Sessions = async_sessionmaker[AsyncSession]


class ServiceError(Exception):
    """A request that cannot be carried out; the message is meant for the user."""


# --- organisation -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrgImportResult:
    created: int
    updated: int
    # Open waves keep the organisation they opened with; the change applies to later ones.
    open_waves: int = 0


async def import_org(sessions: Sessions, csv_text: str) -> OrgImportResult:
    """Create or update units in one transaction; raises OrgImportError and stores nothing."""
    rows, problems = parse_org_csv(csv_text)
    async with UnitOfWork(sessions) as uow:
        existing = {u.code: u for u in await uow.units.all()}
        if rows:
            problems += check_tree(
                rows,
                {
                    code: ExistingUnit(code, UnitKind(u.kind), _parent_code(u, existing))
                    for code, u in existing.items()
                },
            )
        if problems:
            raise OrgImportError(problems)
        created = updated = 0
        by_code = dict(existing)
        for row in rows:
            unit = by_code.get(row.code)
            if unit is None:
                unit = Unit(id=uuid.uuid4(), code=row.code)
                uow.units.add(unit)
                by_code[row.code] = unit
                created += 1
            else:
                updated += 1
            unit.name = row.name
            unit.kind = row.kind.value
            unit.headcount = row.headcount
        # Parents second, once every unit in the file has an id.
        for row in rows:
            parent = by_code[row.parent_code] if row.parent_code else None
            by_code[row.code].parent_id = parent.id if parent else None
        open_count = len([w for w in await uow.waves.all() if w.status == "open"])
        await uow.commit()
    return OrgImportResult(created, updated, open_count)


def _parent_code(unit: Unit, by_code: Mapping[str, Unit]) -> str | None:
    if unit.parent_id is None:
        return None
    for other in by_code.values():
        if other.id == unit.parent_id:
            return other.code
    return None


# --- waves ------------------------------------------------------------------------------


async def open_wave(
    sessions: Sessions,
    survey: Survey,
    *,
    today: date,
    label: str | None = None,
    unit_codes: Sequence[str] = (),
    closes_on: date | None = None,
    monitoring: Survey | None = None,
) -> Wave:
    """Open a wave, freezing the survey definition, its disclosure thresholds, the
    organisation (units, parents, headcounts) and the equality monitoring categories."""
    async with UnitOfWork(sessions) as uow:
        wave = await open_wave_in(
            uow,
            survey,
            today=today,
            label=label,
            unit_codes=unit_codes,
            closes_on=closes_on,
            monitoring=monitoring,
        )
        await uow.commit()
        return wave


async def open_wave_in(
    uow: UnitOfWork,
    survey: Survey,
    *,
    today: date,
    label: str | None,
    unit_codes: Sequence[str],
    closes_on: date | None,
    monitoring: Survey | None,
) -> Wave:
    """Open a wave in the caller's transaction (open_wave, or a schedule's)."""
    if closes_on is not None and closes_on < today:
        raise ServiceError(f"the closing date {closes_on.isoformat()} is in the past")
    check_wave_survey(survey)
    units, audience = await audience_of(uow, unit_codes)
    code_of = {u.id: u.code for u in units}
    id_of = {u.code: u.id for u in units}
    live = [
        OrgUnit(
            u.code,
            u.name,
            u.kind,
            code_of.get(u.parent_id) if u.parent_id else None,
            u.headcount,
        )
        for u in units
    ]
    frozen = [
        WaveOrgUnit(
            unit_id=id_of[u.code],
            code=u.code,
            name=u.name,
            kind=u.kind,
            parent_code=u.parent_code,
            headcount=u.headcount,
            in_audience=u.in_audience,
        )
        for u in audience_tree(live, [code_of[a] for a in audience])
    ]
    wave = Wave(
        survey_key=survey.key,
        label=label or f"{survey.key} {today.isoformat()}",
        status="open",
        opens_on=today,
        closes_on=closes_on,
        k_unit=survey.thresholds.unit,
        k_characteristic=survey.thresholds.characteristic,
        k_comments=survey.thresholds.comments,
        definition=survey.model_dump(mode="json"),
        monitoring_definition=monitoring.model_dump(mode="json") if monitoring else None,
    )
    await uow.waves.add(wave, audience, frozen)
    return wave


async def audience_of(
    uow: UnitOfWork, unit_codes: Sequence[str]
) -> tuple[list[Unit], list[uuid.UUID]]:
    """The organisation's units, and an audience's: the units named, or without any named
    the top of the tree (the whole organisation). Refused if a code is unknown."""
    units = list(await uow.units.all())
    if not units:
        raise ServiceError(
            "there are no organisational units yet: load them first with "
            "'firevoice org import FILE.csv'"
        )
    if not unit_codes:
        return units, [u.id for u in units if u.parent_id is None]
    by_code = {u.code: u for u in units}
    unknown = [c for c in unit_codes if c not in by_code]
    if unknown:
        raise ServiceError(f"unknown unit code(s): {', '.join(unknown)}")
    return units, [by_code[c].id for c in unit_codes]


def check_wave_survey(survey: Survey) -> None:
    """A survey that can run in waves (opened by hand or by a schedule)."""
    if survey.kind == SurveyKind.MONITORING:
        raise ServiceError(
            f"'{survey.key}' is the equality monitoring survey: it is offered once to each "
            "person in the chat and copied onto their responses, so it does not run in waves"
        )


async def close_wave(sessions: Sessions, batching: Batching, wave_id: int, *, today: date) -> Wave:
    """Close a wave and release its last responses (storage/batches.py) in one transaction."""
    async with UnitOfWork(sessions) as uow:
        wave = await uow.session.get(Wave, wave_id, with_for_update=True)
        if wave is None:
            raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
        if wave.status == "closed":
            raise ServiceError(f"wave {wave_id} is already closed (on {wave.closed_on})")
        await _close(uow, batching, wave, closed_on=today, today=today)
        return wave


def past_closing(wave: Wave, today: date) -> bool:
    """An open wave whose planned closing date (the last day for answers) has passed."""
    return wave.status == "open" and wave.closes_on is not None and wave.closes_on < today


async def close_due_waves(sessions: Sessions, batching: Batching, *, today: date) -> list[Wave]:
    """Close every open wave whose planned closing date has passed, as of that date, each
    with its last responses released."""
    async with UnitOfWork(sessions) as uow:
        due = [w for w in await uow.waves.all() if past_closing(w, today)]
    closed = []
    for wave in due:
        async with UnitOfWork(sessions) as uow:
            locked = await uow.session.get(Wave, wave.id, with_for_update=True)
            if locked is None or locked.status != "open":
                continue  # closed by someone else meanwhile
            await _close(uow, batching, locked, closed_on=locked.closes_on, today=today)
            closed.append(locked)
    return closed


async def _close(
    uow: UnitOfWork, batching: Batching, wave: Wave, *, closed_on: date | None, today: date
) -> None:
    """Close a locked wave and release its last responses, in the caller's transaction."""
    wave.status = "closed"
    wave.closed_on = closed_on
    await batches.release_remainders(uow.session, batching, wave, today)
    await uow.commit()


async def mark_reported(sessions: Sessions, wave_ids: Sequence[int], *, today: date) -> None:
    """Record that these waves' results have been released (the first date is kept)."""
    async with UnitOfWork(sessions) as uow:
        for wave_id in wave_ids:
            wave = await uow.session.get(Wave, wave_id, with_for_update=True)
            if wave is not None and wave.reported_on is None:
                wave.reported_on = today
        await uow.commit()


async def latest_publication(sessions: Sessions, wave_id: int) -> Publication | None:
    """The wave's publication in force (its highest version), or None if not released."""
    async with UnitOfWork(sessions) as uow:
        return await uow.publications.latest(wave_id)


async def waves_to_backfill(sessions: Sessions) -> list[Wave]:
    """Waves whose results were released before publications were stored."""
    async with UnitOfWork(sessions) as uow:
        done = await uow.publications.released_waves()
        return [w for w in await uow.waves.all() if w.reported_on and w.id not in done]


async def store_publication(
    sessions: Sessions,
    wave_id: int,
    *,
    document: str,
    digest: str,
    released_on: date,
    version: int = 1,
    reason: str | None = None,
) -> Publication:
    """Record a wave's publication, once per version; the first also fixes its responses."""
    async with UnitOfWork(sessions) as uow:
        wave = await uow.session.get(Wave, wave_id, with_for_update=True)
        if wave is None:
            raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
        row = await _add_publication(uow, wave, document, digest, released_on, version, reason)
        await uow.commit()
        return row


async def _add_publication(
    uow: UnitOfWork,
    wave: Wave,
    document: str,
    digest: str,
    released_on: date,
    version: int,
    reason: str | None,
) -> Publication:
    """Add the wave's next publication version (the wave's row is locked by the caller)."""
    current = await uow.publications.latest(wave.id)
    if (current.version if current else 0) != version - 1:
        raise ServiceError(
            f"wave {wave.id} already has publication version "
            f"{current.version if current else 0}; version {version} cannot follow it"
        )
    if wave.reported_on is None:
        wave.reported_on = released_on
    row = Publication(
        wave_id=wave.id,
        version=version,
        supersedes=current.id if current else None,
        released_on=released_on,
        reason=reason,
        document=document,
        digest=digest,
    )
    uow.publications.add(row)
    return row


async def publication_versions(sessions: Sessions, wave_id: int) -> list[Publication]:
    """Every version of the wave's publication, oldest first."""
    async with UnitOfWork(sessions) as uow:
        return await uow.publications.versions(wave_id)


@dataclass(frozen=True)
class WaveSummary:
    wave: Wave
    responses: int
    audience: list[str]


async def list_waves(sessions: Sessions) -> list[WaveSummary]:
    async with UnitOfWork(sessions) as uow:
        codes = {u.id: u.code for u in await uow.units.all()}
        out = []
        for wave in await uow.waves.all():
            audience = sorted(codes[u] for u in await uow.waves.audience(wave.id))
            out.append(WaveSummary(wave, await uow.waves.response_count(wave.id), audience))
        return out


async def resolve_wave(uow: UnitOfWork, survey_key: str, wave_id: int | None) -> Wave:
    if wave_id is not None:
        wave = await uow.waves.get(wave_id)
        if wave is None:
            raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
        if wave.survey_key != survey_key:
            raise ServiceError(
                f"wave {wave_id} is for survey '{wave.survey_key}', not '{survey_key}'"
            )
        return wave
    open_waves = await uow.waves.open_for_survey(survey_key)
    if not open_waves:
        raise ServiceError(
            f"survey '{survey_key}' has no open wave: open one with "
            f"'firevoice wave open --survey {survey_key}' or name one with --wave"
        )
    if len(open_waves) > 1:
        ids = ", ".join(str(w.id) for w in open_waves)
        raise ServiceError(
            f"survey '{survey_key}' has several open waves ({ids}): choose one with --wave"
        )
    return open_waves[0]


# --- responses --------------------------------------------------------------------------


async def import_responses(
    sessions: Sessions,
    survey_key: str,
    monitoring: Survey | None,
    csv_text: str,
    *,
    wave_id: int | None,
    today: date,
) -> ImportedResponses:
    """Validate every row, then store all of them in one transaction (or none)."""
    async with UnitOfWork(sessions) as uow:
        wave = await resolve_wave(uow, survey_key, wave_id)
        # Lock the wave row (PostgreSQL) so a report that marks it released waits for this
        # import to finish, and this import sees a release that committed first.
        await uow.session.refresh(wave, with_for_update=True)
        if wave.reported_on is not None:
            raise ServiceError(
                f"wave {wave.id}'s results were released in a report on "
                f"{wave.reported_on.isoformat()}, so its responses are now fixed: answers "
                "added after a report could be picked out by comparing it with the next one. "
                "Open a new wave for these answers ('firevoice wave open')"
            )
        import_id = f"{wave.id}-{secrets.token_hex(4)}"
        survey = wave_survey(wave)
        # The organisation as the wave opened with it: units added or moved since belong
        # to later waves.
        by_code = {u.code: u for u in await uow.waves.org(wave.id) if u.in_audience}
        latest = min(today, wave.closes_on) if wave.closes_on else today
        if wave.closed_on:
            latest = min(latest, wave.closed_on)
        parsed = parse_responses_csv(csv_text, survey, monitoring, by_code, wave.opens_on, latest)
        for row in parsed:
            response, rows = new_response(
                survey,
                wave.id,
                by_code[row.unit_code].unit_id,
                row.submitted_on,
                "import",
                row.answers,
                row.snapshot,
                import_id,
            )
            uow.responses.add(response, rows)
        await uow.commit()
        return ImportedResponses(wave, len(parsed), import_id)


@dataclass(frozen=True)
class ImportedResponses:
    wave: Wave
    count: int
    import_id: str  # what 'firevoice responses withdraw' takes


@dataclass(frozen=True)
class ImportRecord:
    import_id: str
    wave_id: int
    survey_key: str
    count: int
    released: bool
    withdrawn_in: int | None = None  # the publication version that stopped counting it


async def list_imports(sessions: Sessions) -> list[ImportRecord]:
    """Every file import in the database, oldest wave first."""
    async with sessions() as session:
        rows = await session.execute(
            select(
                Response.import_id,
                Wave.id,
                Wave.survey_key,
                Wave.reported_on,
                Response.withdrawn_in,
                func.count(),
            )
            .join(Wave, Wave.id == Response.wave_id)
            .where(Response.import_id.is_not(None))
            .group_by(
                Response.import_id,
                Wave.id,
                Wave.survey_key,
                Wave.reported_on,
                Response.withdrawn_in,
            )
            .order_by(Wave.id, Response.import_id)
        )
        return [
            ImportRecord(str(import_id), wave_id, key, int(n), reported is not None, withdrawn)
            for import_id, wave_id, key, reported, withdrawn, n in rows
        ]


def _unknown_import(import_id: str) -> ServiceError:
    return ServiceError(
        f"there is no import {import_id!r} ('firevoice responses imports' lists them)"
    )


async def find_import(sessions: Sessions, import_id: str) -> tuple[Wave, int]:
    """The wave of an import its figures still count, and how many responses it holds."""
    async with sessions() as session:
        found = (
            await session.execute(
                select(Response.wave_id, Response.withdrawn_in, func.count())
                .where(Response.import_id == import_id)
                .group_by(Response.wave_id, Response.withdrawn_in)
            )
        ).first()
        if found is None:
            raise _unknown_import(import_id)
        wave_id, withdrawn_in, count = found
        if withdrawn_in is not None:
            raise ServiceError(
                f"import {import_id!r} was already withdrawn: wave {wave_id}'s results have "
                f"not counted it since version {withdrawn_in}"
            )
        wave = await session.get(Wave, wave_id)
        assert wave is not None  # responses point at their wave (foreign key)
        return wave, int(count)


async def withdraw_import(sessions: Sessions, import_id: str) -> tuple[Wave, int]:
    """Delete every response of one file import, with its answers, in one transaction.

    Only while the wave's results are unreleased, when nothing of it has been published; a
    released wave's import is withdrawn by `withdraw_released` with a new version.
    """
    async with UnitOfWork(sessions) as uow:
        wave_id = await uow.session.scalar(
            select(Response.wave_id).where(Response.import_id == import_id).limit(1)
        )
        if wave_id is None:
            raise _unknown_import(import_id)
        wave = await uow.session.get(Wave, wave_id, with_for_update=True)
        assert wave is not None  # responses point at their wave (foreign key)
        if wave.reported_on is not None:
            raise ServiceError(
                f"import {import_id!r} is in wave {wave.id}, whose results were released on "
                f"{wave.reported_on.isoformat()}: nothing was withdrawn. Its figures can only "
                "be corrected by a new version, audited with the ones already published"
            )
        result = await uow.session.execute(delete(Response).where(Response.import_id == import_id))
        await uow.commit()
        return wave, int(result.rowcount or 0)  # type: ignore[attr-defined]


async def withdraw_released(
    sessions: Sessions,
    import_id: str,
    *,
    wave_id: int,
    document: str,
    digest: str,
    released_on: date,
    version: int,
    reason: str,
    expected: int,
) -> int:
    """In one transaction: stop counting one import of a released wave from `version` on,
    and store that version of the wave's publication (computed without it).

    The responses stay, marked, so that any later correction can be audited together with
    every version that counted them.
    """
    async with UnitOfWork(sessions) as uow:
        wave = await uow.session.get(Wave, wave_id, with_for_update=True)
        if wave is None:
            raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
        await _add_publication(uow, wave, document, digest, released_on, version, reason)
        result = await uow.session.execute(
            update(Response)
            .where(
                Response.wave_id == wave_id,
                Response.import_id == import_id,
                Response.withdrawn_in.is_(None),
            )
            .values(withdrawn_in=version)
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count != expected:  # changed while the new version was computed: store nothing
            raise ServiceError(
                f"import {import_id!r} changed while its correction was computed "
                f"({count} responses, not {expected}); nothing was changed, try again"
            )
        await uow.commit()
        return count


# --- chat submissions and people ---------------------------------------------------------


class SubmitOutcome(StrEnum):
    STORED = "stored"
    ALREADY_ANSWERED = "already_answered"
    WAVE_CLOSED = "wave_closed"


@dataclass(frozen=True)
class Submitted:
    outcome: SubmitOutcome
    wave_id: int | None = None
    pool: str | None = None  # where the response waits for its batch


async def submit_in(
    uow: Work,
    batching: Batching,
    *,
    wave_id: int,
    unit_code: str,
    pseudonym: str,
    answers: Mapping[str, Answer],
    snapshot: Snapshot,
    today: date,
) -> Submitted:
    """Record a completed chat response in the caller's transaction: the participation and
    the sealed pending response (storage/batches.py). Costs the same however many people
    or responses the database holds."""
    wave = await uow.waves.for_submission(wave_id)
    if wave is None or wave.status != "open" or past_closing(wave, today):
        return Submitted(SubmitOutcome.WAVE_CLOSED)
    unit = await uow.waves.org_unit(wave.id, unit_code)
    if unit is None:
        raise ServiceError(f"unit {unit_code!r} is not in wave {wave.id}'s audience")
    if not await uow.participations.add_once(wave.id, pseudonym):
        return Submitted(SubmitOutcome.ALREADY_ANSWERED)
    pool = uow.pending.add(batching, wave, unit, answers, snapshot)
    return Submitted(SubmitOutcome.STORED, wave.id, pool)


async def release_if_full(
    sessions: Sessions, batching: Batching, wave_id: int, pool: str, *, today: date
) -> int:
    """Release the pool as a batch if it has reached the batch size; returns how many."""
    async with UnitOfWork(sessions) as uow:
        wave = await uow.waves.get(wave_id)
        if wave is None:
            return 0
        if await batches.pending_count(uow.session, wave.id, pool) < batching.size_for(wave):
            return 0
        moved = await batches.release_pool(uow.session, batching, wave, pool, today)
        await uow.commit()
        return moved


async def release_full_pools(sessions: Sessions, batching: Batching, *, today: date) -> int:
    """Release every pool that is full (after a crash between a submission and its batch)."""
    async with UnitOfWork(sessions) as uow:
        full = await batches.full_pools(uow.session, batching)
    moved = 0
    for wave, pool in full:
        moved += await release_if_full(sessions, batching, wave.id, pool, today=today)
    return moved


async def submit_response(
    sessions: Sessions,
    batching: Batching,
    *,
    wave_id: int,
    unit_code: str,
    pseudonym: str,
    answers: Mapping[str, Answer],
    snapshot: Snapshot,
    today: date,
) -> SubmitOutcome:
    """Submit in a transaction of its own, then release the pool if it is full."""
    async with UnitOfWork(sessions) as uow:
        submitted = await submit_in(
            uow,
            batching,
            wave_id=wave_id,
            unit_code=unit_code,
            pseudonym=pseudonym,
            answers=answers,
            snapshot=snapshot,
            today=today,
        )
        await uow.commit()
    if submitted.wave_id is not None and submitted.pool is not None:
        await release_if_full(sessions, batching, submitted.wave_id, submitted.pool, today=today)
    return submitted.outcome


async def erase_person(uow: Work, pseudonym: str) -> None:
    """Delete everything linkable to a person: profile, contact consent, participation."""
    await uow.people.delete(pseudonym)
    await uow.participations.delete_for(pseudonym)


async def mark_contact_blocked(sessions: Sessions, pseudonym: str) -> bool:
    """The person blocked the bot: stop contacting them. True if a contact was found."""
    async with UnitOfWork(sessions) as uow:
        person = await uow.people.get(pseudonym)
        if person is None or not person.contact_active:
            return False
        person.contact_active = False
        await uow.commit()
        return True


async def update_person(uow: Work, pseudonym: str, today: date, **fields: Any) -> Person:
    """Create or change what is kept about a person (consent, language, profile...)."""
    person = await uow.people.get(pseudonym)
    if person is None:
        person = Person(
            pseudonym=pseudonym,
            consented=False,
            contact_ok=False,
            contact_active=False,
            monitoring="not_offered",
        )
        uow.people.add(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.last_seen_month = month_of(today)
    return person


def month_of(day: date) -> date:
    """The first day of the month: how finely the bot records when someone last used it."""
    return day.replace(day=1)


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    kind: str
    parent_code: str | None
    children: tuple[str, ...]


async def wave_units(uow: Work, wave_id: int) -> tuple[list[str], dict[str, UnitInfo]]:
    """The wave's audience roots and every unit in its audience, as the wave opened."""
    org = [u for u in await uow.waves.org(wave_id) if u.in_audience]
    return unit_tree([(u.code, u.name, u.kind, u.parent_code) for u in org])


async def org_units(uow: UnitOfWork) -> tuple[list[str], dict[str, UnitInfo]]:
    """The organisation as it is now: its roots and every unit (a person's home unit)."""
    units = list(await uow.units.all())
    code_of = {u.id: u.code for u in units}
    return unit_tree(
        [(u.code, u.name, u.kind, code_of.get(u.parent_id) if u.parent_id else None) for u in units]
    )


def unit_tree(
    rows: Sequence[tuple[str, str, str, str | None]],
) -> tuple[list[str], dict[str, UnitInfo]]:
    """Roots and units, each with its children, by name, from (code, name, kind, parent)."""
    codes = {row[0] for row in rows}
    children: dict[str, list[str]] = {}
    for code, _, _, parent in sorted(rows, key=lambda r: r[1].lower()):
        if parent in codes:
            children.setdefault(str(parent), []).append(code)
    info = {
        code: UnitInfo(code, name, kind, parent, tuple(children.get(code, [])))
        for code, name, kind, parent in rows
    }
    roots = [code for code, _, _, parent in rows if parent not in codes]
    return sorted(roots, key=lambda c: info[c].name.lower()), info


async def open_waves(uow: Work, *, today: date) -> list[Wave]:
    """Waves taking answers today (open, and not past their planned closing date)."""
    return [w for w in await uow.waves.all() if w.status == "open" and not past_closing(w, today)]


async def open_waves_with_dates(sessions: Sessions, *, today: date) -> list[Wave]:
    """Waves taking answers today that have a closing date (those can have reminders)."""
    async with UnitOfWork(sessions) as uow:
        return [w for w in await open_waves(uow, today=today) if w.closes_on is not None]


async def get_wave(sessions: Sessions, wave_id: int) -> Wave | None:
    async with UnitOfWork(sessions) as uow:
        return await uow.waves.get(wave_id)


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    people: int
    participations: int


async def purge_expired(
    sessions: Sessions, *, today: date, conversation_days: int, person_days: int
) -> PurgeResult:
    """Delete what the retention rules say is no longer needed.

    Unfinished conversations untouched for `conversation_days`; people (consent, contact
    details, equality profile) not seen for `person_days`; participation records of waves
    closed more than `conversation_days` ago (they only stop double answers while open).
    Submitted anonymous responses are not touched.
    """
    conversation_cutoff = today - timedelta(days=conversation_days)
    async with UnitOfWork(sessions) as uow:
        conversations = await uow.session.execute(
            delete(ConversationState).where(ConversationState.updated_on < conversation_cutoff)
        )
        # Last use is kept to the month: a person goes once the whole month of their last
        # use is older than the retention period (never early, at most a month late).
        people = await uow.session.execute(
            delete(Person).where(
                Person.last_seen_month < month_of(today - timedelta(days=person_days))
            )
        )
        closed = select(Wave.id).where(
            Wave.status == "closed", Wave.closed_on < conversation_cutoff
        )
        participations = await uow.session.execute(
            delete(Participation).where(Participation.wave_id.in_(closed))
        )
        await uow.commit()
    return PurgeResult(
        int(getattr(conversations, "rowcount", 0) or 0),
        int(getattr(people, "rowcount", 0) or 0),
        int(getattr(participations, "rowcount", 0) or 0),
    )
