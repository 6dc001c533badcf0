"""The synthetic demo service: made-up units and answers, marked synthetic everywhere.

Used by `firevoice demo` (a database of its own, and reports) and by a first run with no
bot token (`firevoice run`, bot/first_run.py), so a new user has something to look at.
"""

from __future__ import annotations

from datetime import date, timedelta

from analysis import synthetic
from analysis.release import release
from bot.app import App
from storage import bulk, services
from surveys.equality import MONITORING_SURVEY_KEY

SURVEY = "staff_pulse"


async def load(application: App, *, per_wave: int, waves: int, today: date) -> list[int]:
    """The synthetic organisation and `waves` closed waves of the staff pulse, two months
    apart and ending before today; returns the waves' numbers (not yet released)."""
    survey = application.catalog.get(SURVEY)
    monitoring = application.catalog.get(MONITORING_SURVEY_KEY)
    await services.import_org(application.sessions, synthetic.organisation_csv())
    start = today - timedelta(days=60 * waves)
    made = []
    for index in range(waves):
        opened = start + timedelta(days=60 * index)
        wave = await services.open_wave(
            application.sessions,
            survey,
            today=opened,
            label=f"Pulse {opened:%B %Y} (synthetic)",
            monitoring=monitoring,
        )
        generated = synthetic.generate(survey, per_wave, seed=7, wave_index=index)
        await bulk.insert_responses(
            application.engine, wave.id, survey, synthetic.rows(generated), opened
        )
        await services.close_wave(
            application.sessions, application.batching, wave.id, today=opened + timedelta(days=21)
        )
        made.append(wave.id)
    return made


async def release_all(application: App, wave_ids: list[int], *, today: date) -> None:
    """Release the demo's waves (each computes and stores its protected publication)."""
    for wave_id in wave_ids:
        await release(
            application.sessions,
            application.engine,
            wave_id,
            monitoring=application.monitoring,
            today=today,
            synthetic=True,
        )
