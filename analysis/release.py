"""Releasing a wave: compute its publication once, store it, and never recompute it.

Only an administrator releases (`firevoice wave release N`, or `firevoice report` of a
closed wave). Views (reports, the chat, the dashboard) read the stored publication and
never release anything themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from analysis.data import WaveData, load_wave
from analysis.labels import characteristic_labels
from analysis.publication import (
    ActionRow,
    Earlier,
    MismatchError,
    Publication,
    TrendRow,
    publish,
)
from analysis.tables import compute
from storage import actions, reporting, services
from storage.models import Publication as PublicationRow
from storage.models import Wave
from storage.reporting import Rows
from storage.services import ServiceError, Sessions
from surveys.model import Survey

log = logging.getLogger("firevoice.release")


def still_open(wave_id: int) -> str:
    """Why an open wave's results cannot be released or reported."""
    return (
        f"wave {wave_id} is still open: its results are released once, when it closes "
        f"('firevoice wave close {wave_id}'), so that answers arriving later cannot be "
        "picked out by comparing two reports"
    )


def _monitoring(wave: Wave, current: Survey | None) -> Survey | None:
    """The monitoring survey frozen when the wave opened (today's for older waves)."""
    if wave.monitoring_definition:
        return Survey.model_validate(wave.monitoring_definition)
    return current


def read_publication(row: PublicationRow) -> Publication:
    try:
        return Publication.from_json(row.document)
    except (ValueError, KeyError, TypeError) as exc:
        raise ServiceError(
            f"wave {row.wave_id}'s stored publication (version {row.version}) cannot be read: "
            f"{exc}. Nothing will be recomputed in its place; restore the database from a "
            "backup"
        ) from None


async def stored(sessions: Sessions, wave_id: int) -> Publication | None:
    """The wave's publication in force, or None if it has not been released."""
    row = await services.latest_publication(sessions, wave_id)
    return None if row is None else read_publication(row)


async def _earlier(engine: AsyncEngine, wave: Wave) -> list[Wave]:
    waves = await reporting.waves_of(engine, wave.survey_key)
    return [
        w for w in waves if w.status == "closed" and (w.opens_on, w.id) < (wave.opens_on, wave.id)
    ]


async def actions_against(sessions: Sessions, wave_id: int) -> list[ActionRow]:
    """The improvement register's actions against a wave's results, as they stand now."""
    return [
        ActionRow(
            wave=a.action.wave_id,
            area=a.action.area,
            item=a.action.item,
            consideration=a.action.consideration,
            unit=a.action.unit_code,
            lead=a.action.lead,
            due=a.action.due.isoformat() if a.action.due else None,
            status=a.action.status,
            progress=a.action.progress,
        )
        for a in await actions.listed(sessions, wave_id=wave_id)
    ]


async def release(
    sessions: Sessions,
    engine: AsyncEngine,
    wave_id: int,
    *,
    monitoring: Survey | None,
    today: date,
    synthetic: bool = False,
    forced_hidden: set[tuple[str, str]] | None = None,
    data: WaveData | None = None,
) -> tuple[Publication, bool]:
    """The wave's publication, computing and storing it if this is its release.

    Returns (publication, whether it was released now). Earlier closed waves of the same
    survey are released first, since this one's trend copies their rows. `data` is the
    wave's responses if the caller has already loaded them.
    """
    wave = await services.get_wave(sessions, wave_id)
    if wave is None:
        raise ServiceError(f"there is no wave {wave_id} ('firevoice wave list' shows them)")
    existing = await stored(sessions, wave_id)
    if existing is not None:
        return existing, False
    if wave.status != "closed":
        raise ServiceError(still_open(wave_id))
    history: list[TrendRow] = []
    earlier_waves = await _earlier(engine, wave)
    for earlier in earlier_waves:
        before, _ = await release(
            sessions, engine, earlier.id, monitoring=monitoring, today=today, synthetic=synthetic
        )
        history += before.own_trend()
    # From here on no response can be added to the wave (import refuses), so the figures
    # below are the only ones it will ever have.
    await services.mark_reported(sessions, [wave_id], today=today)
    frozen = _monitoring(wave, monitoring)
    if data is None:
        data = await load_wave(engine, wave, frozen)
    data.synthetic = synthetic
    publication = publish(
        data,
        monitoring=frozen.model_dump(mode="json") if frozen else None,
        released_on=wave.reported_on or today,
        history=history,
        forced_hidden=forced_hidden,
    )
    publication.closed_on = wave.closed_on.isoformat() if wave.closed_on else None
    if earlier_waves:  # "you said, we did": the register against the last wave, as it stands
        publication.actions = await actions_against(sessions, earlier_waves[-1].id)
    try:
        await services.store_publication(
            sessions,
            wave_id,
            document=publication.to_json(),
            digest=publication.digest,
            released_on=date.fromisoformat(publication.released_on),
        )
    except (ServiceError, IntegrityError):
        # Released by someone else meanwhile: theirs is the publication.
        again = await stored(sessions, wave_id)
        if again is None:
            raise
        return again, False
    log.info("wave %s released: %s", wave_id, publication.audit.sentence().removesuffix("."))
    return publication, True


@dataclass(frozen=True)
class Withdrawal:
    wave: Wave
    count: int
    correction: Publication | None  # the new version, if the wave had been released


async def withdraw(
    sessions: Sessions,
    engine: AsyncEngine,
    import_id: str,
    *,
    reason: str | None,
    monitoring: Survey | None,
    today: date,
    announce: Callable[[str], None] = log.info,
) -> Withdrawal:
    """Take a wrong file import out of its wave.

    Before release its responses are deleted. After release the wave's figures are out,
    so the correction is a new version of its publication, computed without the import and
    audited together with every version already published (analysis/versions.py); the
    import's responses stay, marked, for the audits of any later correction.
    """
    wave, count = await services.find_import(sessions, import_id)
    if wave.reported_on is None:
        wave, deleted = await services.withdraw_import(sessions, import_id)
        return Withdrawal(wave, deleted, None)
    if not reason or not reason.strip():
        raise ServiceError(
            f"import {import_id!r} is in wave {wave.id}, whose results were released on "
            f"{wave.reported_on.isoformat()}: withdrawing it publishes a corrected version "
            "of them, which every report of the wave then shows with its reason. Say why "
            "with --reason '...'; nothing was changed"
        )
    versions = [
        read_publication(row) for row in await services.publication_versions(sessions, wave.id)
    ]
    announce(
        f"computing version {len(versions) + 1} of wave {wave.id}'s results without import "
        f"{import_id}, audited together with the {len(versions)} published before it; for a "
        "large service this takes a while (README, Development)"
    )
    frozen = _monitoring(wave, monitoring)
    kept = await load_wave(engine, wave, frozen, Rows(without_import=import_id))
    withdrawn = [
        await load_wave(engine, wave, frozen, Rows(withdrawn_in=version.version + 1))
        for version in versions[:-1]
    ]
    withdrawn.append(await load_wave(engine, wave, frozen, Rows(only_import=import_id)))
    kept.synthetic = versions[-1].synthetic
    try:
        correction = publish(
            kept,
            monitoring=frozen.model_dump(mode="json") if frozen else None,
            released_on=today,
            history=versions[-1].trend,
            earlier=Earlier(versions, withdrawn),
            reason=reason.strip(),
        )
    except MismatchError as exc:
        raise ServiceError(
            f"wave {wave.id} cannot be corrected: {exc}. The responses were changed outside "
            "firevoice; nothing was changed"
        ) from None
    correction.closed_on = versions[-1].closed_on
    correction.actions = versions[-1].actions  # as they stood at the first release
    await services.withdraw_released(
        sessions,
        import_id,
        wave_id=wave.id,
        document=correction.to_json(),
        digest=correction.digest,
        released_on=today,
        version=correction.version,
        reason=correction.reason or "",
        expected=count,
    )
    log.info(
        "wave %s corrected (version %s): %s",
        wave.id,
        correction.version,
        correction.audit.sentence().removesuffix("."),
    )
    return Withdrawal(wave, count, correction)


async def backfill(
    sessions: Sessions, engine: AsyncEngine, *, monitoring: Survey | None, today: date
) -> list[int]:
    """Publications for waves released before they were stored.

    Each hides at least every group its earlier reports hid: the groups those reports
    suppressed (recomputed the way they were then) are hidden outright, and the new
    joint suppression and audit run on top.
    """
    done = []
    waves = sorted(await services.waves_to_backfill(sessions), key=lambda w: (w.opens_on, w.id))
    for wave in waves:
        if await services.latest_publication(sessions, wave.id) is not None:
            continue  # released just now as an earlier wave of another
        frozen = _monitoring(wave, monitoring)
        data = await load_wave(engine, wave, frozen)
        old = compute(data, characteristic_labels(frozen), today=today)
        forced = {
            (str(b), str(g))
            for b, g, hidden in zip(
                old.results["breakdown"],
                old.results["group"],
                old.results["suppressed"],
                strict=True,
            )
            if hidden
        }
        rates = old.response_rates
        forced |= {
            (str(k), str(u))
            for k, u, hidden in zip(rates["kind"], rates["unit"], rates["suppressed"], strict=True)
            if hidden
        }
        _, made = await release(
            sessions,
            engine,
            wave.id,
            monitoring=monitoring,
            today=today,
            forced_hidden=forced,
            data=data,
        )
        if made:
            done.append(wave.id)
    return done
