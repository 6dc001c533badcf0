"""Building a report: load the wave(s), compute the protected tables, add the trend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncEngine

from analysis.data import WaveData, load_wave
from analysis.labels import characteristic_labels
from analysis.tables import Tables, compute, headline
from storage import reporting
from storage.models import Wave
from surveys.model import Survey


class ReportError(Exception):
    """A report that cannot be made as asked; the message is for the user."""


def _open_wave_refusal(wave: Wave) -> ReportError:
    return ReportError(
        f"wave {wave.id} is still open: its results are released once, when it closes "
        f"('firevoice wave close {wave.id}'), so that answers arriving later cannot be "
        "picked out by comparing two reports"
    )


async def choose_wave(
    engine: AsyncEngine, survey_key: str, wave_id: int | None
) -> tuple[Wave, list[Wave]]:
    """The wave to report (default: the latest closed one) and every wave of the survey."""
    waves = await reporting.waves_of(engine, survey_key)
    if not waves:
        raise ReportError(f"survey '{survey_key}' has no waves yet ('firevoice wave list')")
    if wave_id is None:
        closed = [w for w in waves if w.status == "closed"]
        if not closed:
            raise _open_wave_refusal(waves[-1])
        return closed[-1], waves
    for wave in waves:
        if wave.id == wave_id:
            if wave.status != "closed":
                raise _open_wave_refusal(wave)
            return wave, waves
    raise ReportError(f"wave {wave_id} is not a wave of '{survey_key}' ('firevoice wave list')")


def trend(tables_by_wave: list[tuple[Wave, Tables]], scope: str | None) -> pd.DataFrame:
    """Headline figure per wave and question, from each wave's own protected tables."""
    rows = []
    for wave, tables in tables_by_wave:
        results = tables.results
        if scope is None:
            picked = results[results["breakdown"] == "all"]
        else:
            picked = results[(results["group"] == scope) & ~results["breakdown"].str.contains("×")]
            picked = picked[picked["breakdown"] != "all"]
        for question in tables.questions:
            column = headline(question)
            metric = column or ("mean" if question.type.value == "scale_0_10" else None)
            if metric is None:
                continue
            row = picked[picked["question"] == question.key]
            if row.empty:
                continue
            first = row.iloc[0]
            rows.append(
                {
                    "wave": wave.id,
                    "label": wave.label,
                    "opens_on": wave.opens_on,
                    "question": question.key,
                    "metric": metric,
                    "n": first["n"],
                    "value": first[metric],
                    "suppressed": bool(first["suppressed"]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["wave", "label", "opens_on", "question", "metric", "n", "value", "suppressed"],
    )


async def build(
    engine: AsyncEngine,
    survey_key: str,
    monitoring: Survey | None,
    *,
    wave_id: int | None = None,
    unit: str | None = None,
    today: date | None = None,
    synthetic: bool = False,
    release: Callable[[list[int]], Awaitable[None]] | None = None,
) -> Tables:
    """The protected tables for one closed wave (default: the latest), with the trend to it.

    Only closed waves are reported. `release` is called with the ids of the waves about
    to be read, before any is read, to record them as released (services.mark_reported):
    from then on no responses can be added to them, so every release of a wave shows the
    same set of respondents (domain.md rule 4).
    """
    wave, waves = await choose_wave(engine, survey_key, wave_id)
    labels = characteristic_labels(monitoring)
    # The trend: closed waves up to this one (an open wave's results are never released).
    shown = [
        w
        for w in waves
        if w.status == "closed"
        and (w.opens_on < wave.opens_on or (w.opens_on == wave.opens_on and w.id <= wave.id))
    ]
    if unit is not None and unit not in {code for code, *_ in await reporting.units(engine)}:
        raise ReportError(f"unknown unit code {unit!r} ('firevoice org list')")
    if release is not None:
        await release([w.id for w in shown])
    history: list[tuple[Wave, Tables]] = []
    current: Tables | None = None
    for earlier in shown:
        data: WaveData = await load_wave(engine, earlier, monitoring)
        data.synthetic = synthetic
        tables = compute(data, labels, scope=unit, today=today)
        history.append((earlier, tables))
        if earlier.id == wave.id:
            current = tables
    assert current is not None
    current.trend = trend(history, unit)
    return current
