"""Write-order anonymity at constant cost: chat responses go into `responses` in batches.

A row's place in the database says when it was written: PostgreSQL stamps every row
version with its transaction (xmin) and stores new rows roughly in write order (ctid);
SQLite places cells in a page in write order. A participation written together with its
response could be paired with it. So (docs/privacy.md, "Write order"):

* a submission writes, in one transaction, the participation, the response sealed with
  the server key and padded to a fixed size (`pending_responses`, random key) and the
  deletion of the conversation state. Nothing readable ties the pending row to anyone;
* when a pool (the response's unit, or a watch's station) holds B or more pending
  responses, one transaction moves them into `responses` in a shuffled order, all dated
  the day of the batch, and deletes the pending rows;
* when the wave closes, a pool's remainder under B is written again together with that
  pool's smallest earlier batch, so no batch is smaller than B; a pool whose whole wave
  has fewer than B responses becomes one batch holding all of them.

B is the configured batch size, and never less than the wave's unit threshold. Each step
costs the same however many people or responses the database holds.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer as AnswerRow
from storage.models import PendingResponse, Response, Wave, WaveOrgUnit
from storage.rows import answer_rows, random_id, wave_survey
from surveys import progress
from surveys.engine import Answer
from surveys.equality import CHARACTERISTICS, Snapshot
from surveys.model import Survey
from surveys.sealing import pad, seal, unseal


@dataclass(frozen=True)
class Batching:
    """The key pending responses are sealed with, and the configured batch size B."""

    key: bytes
    size: int

    def size_for(self, wave: Wave) -> int:
        return max(self.size, wave.k_unit)


def pool_of(unit: WaveOrgUnit) -> str:
    """The pool a unit's responses wait in (surveys/progress.py has the rule)."""
    return progress.pool_of(unit.code, unit.kind, unit.parent_code)


def _context(pending_id: str) -> str:
    return f"pending:{pending_id}"


def add_pending(
    session: AsyncSession,
    batching: Batching,
    wave: Wave,
    unit: WaveOrgUnit,
    answers: Mapping[str, Answer],
    snapshot: Snapshot,
    channel: str = "telegram",
) -> str:
    """Seal a submitted response into its pool; returns the pool."""
    payload = {
        "unit": unit.unit_id.hex,
        "channel": channel,
        "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()},
        "snapshot": dict(snapshot),
    }
    pending_id = secrets.token_hex(16)
    sealed = seal(batching.key, pad(json.dumps(payload).encode()), _context(pending_id))
    pool = pool_of(unit)
    session.add(PendingResponse(id=pending_id, wave_id=wave.id, pool=pool, sealed=sealed))
    return pool


async def pending_count(session: AsyncSession, wave_id: int, pool: str) -> int:
    query = select(func.count()).where(
        PendingResponse.wave_id == wave_id, PendingResponse.pool == pool
    )
    return int(await session.scalar(query) or 0)


async def full_pools(session: AsyncSession, batching: Batching) -> list[tuple[Wave, str]]:
    """Pools holding at least their batch size (left full by a crash, say)."""
    rows = (
        await session.execute(
            select(PendingResponse.wave_id, PendingResponse.pool, func.count()).group_by(
                PendingResponse.wave_id, PendingResponse.pool
            )
        )
    ).all()
    found = []
    for wave_id, pool, count in rows:
        wave = await session.get(Wave, wave_id)
        if wave is not None and count >= batching.size_for(wave):
            found.append((wave, str(pool)))
    return found


async def release_pool(
    session: AsyncSession, batching: Batching, wave: Wave, pool: str, today: date
) -> int:
    """Move the pool into `responses` as one batch if it holds B or more; returns how many."""
    pending = await _take(session, wave, pool)
    if len(pending) < batching.size_for(wave):
        return 0
    await _write_batch(session, batching, wave, pending, [], today)
    return len(pending)


async def release_remainders(
    session: AsyncSession, batching: Batching, wave: Wave, today: date
) -> int:
    """At close: every pool's pending responses, under B joined to an earlier batch."""
    pools = (
        await session.scalars(
            select(PendingResponse.pool).where(PendingResponse.wave_id == wave.id).distinct()
        )
    ).all()
    moved = 0
    for pool in sorted(pools):
        pending = await _take(session, wave, pool)
        earlier: list[dict[str, Any]] = []
        if len(pending) < batching.size_for(wave):
            earlier = await _take_smallest_batch(session, wave, pool)
        await _write_batch(session, batching, wave, pending, earlier, today)
        moved += len(pending)
    return moved


async def _take(session: AsyncSession, wave: Wave, pool: str) -> list[PendingResponse]:
    """The pool's pending rows, locked (PostgreSQL) so two releases cannot both take them."""
    query = select(PendingResponse).where(
        PendingResponse.wave_id == wave.id, PendingResponse.pool == pool
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return list((await session.scalars(query)).all())


async def _take_smallest_batch(
    session: AsyncSession, wave: Wave, pool: str
) -> list[dict[str, Any]]:
    """Delete the pool's smallest earlier batch and return its rows (responses with answers)."""
    units = [
        u.unit_id
        for u in await session.scalars(select(WaveOrgUnit).where(WaveOrgUnit.wave_id == wave.id))
        if pool_of(u) == pool
    ]
    batch_id = await session.scalar(
        select(Response.batch_id)
        .where(
            Response.wave_id == wave.id,
            Response.batch_id.is_not(None),
            Response.unit_id.in_(units),
        )
        .group_by(Response.batch_id)
        .order_by(func.count(), Response.batch_id)
        .limit(1)
    )
    if batch_id is None:
        return []
    responses = [
        dict(r)
        for r in (
            await session.execute(select(Response.__table__).where(Response.batch_id == batch_id))
        ).mappings()
    ]
    ids = [r["id"] for r in responses]
    answers: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in (
        await session.execute(select(AnswerRow.__table__).where(AnswerRow.response_id.in_(ids)))
    ).mappings():
        answers.setdefault(row["response_id"], []).append(dict(row))
    await session.execute(delete(AnswerRow).where(AnswerRow.response_id.in_(ids)))
    await session.execute(delete(Response).where(Response.batch_id == batch_id))
    return [{"response": r, "answers": answers.get(r["id"], [])} for r in responses]


def _release_day(wave: Wave, today: date) -> date:
    """The batch's date: today, but never after the wave's last day for answers."""
    last = [d for d in (wave.closes_on, wave.closed_on) if d is not None]
    return min([today, *last])


async def _write_batch(
    session: AsyncSession,
    batching: Batching,
    wave: Wave,
    pending: Sequence[PendingResponse],
    earlier: list[dict[str, Any]],
    today: date,
) -> None:
    """One batch: every response in a shuffled order, one date, one batch id."""
    survey = wave_survey(wave)
    batch_id = secrets.token_hex(16)
    day = _release_day(wave, today)
    members = [_opened(batching, survey, wave, row) for row in pending] + earlier
    secrets.SystemRandom().shuffle(members)
    responses, answers = [], []
    for member in members:
        response = dict(member["response"], batch_id=batch_id, submitted_on=day)
        responses.append(response)
        answers.extend(member["answers"])
    if pending:
        await session.execute(
            delete(PendingResponse).where(PendingResponse.id.in_([p.id for p in pending]))
        )
    if responses:
        await session.execute(insert(Response), responses)
    if answers:
        await session.execute(insert(AnswerRow), answers)


def _opened(batching: Batching, survey: Survey, wave: Wave, row: PendingResponse) -> dict[str, Any]:
    payload = json.loads(unseal(batching.key, row.sealed, _context(row.id)))
    answers: dict[str, Answer] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in payload["answers"].items()
    }
    response_id = random_id()
    response = {
        "id": response_id,
        "wave_id": wave.id,
        "unit_id": uuid.UUID(hex=payload["unit"]),
        "channel": payload["channel"],
        "import_id": None,
        "withdrawn_in": None,
        **dict.fromkeys(CHARACTERISTICS),
        **payload["snapshot"],
    }
    rows = [
        {
            "response_id": response_id,
            "question_key": a.question_key,
            "position": a.position,
            "option": a.option,
            "number": a.number,
            "text": a.text,
        }
        for a in answer_rows(survey, answers)
    ]
    return {"response": response, "answers": rows}
