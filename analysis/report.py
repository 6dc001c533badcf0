"""Building a report: a view of a closed wave's stored publication.

A report never reads responses. An administrator's report of a closed wave that has not
been released yet releases it first (analysis/release.py); every later report, in any
format or scope, is read from that same stored publication.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from analysis import views
from analysis.release import release, still_open, stored
from analysis.tables import Tables
from storage import reporting
from storage.models import Wave
from storage.services import Sessions
from surveys.model import Survey

T = TypeVar("T")


class ReportError(Exception):
    """A report that cannot be made as asked; the message is for the user."""


def _open_wave_refusal(wave: Wave) -> ReportError:
    return ReportError(still_open(wave.id))


async def choose_wave(engine: AsyncEngine, survey_key: str, wave_id: int | None) -> Wave:
    """The wave to report: the one asked for, or the latest closed one."""
    waves = await reporting.waves_of(engine, survey_key)
    if not waves:
        raise ReportError(f"survey '{survey_key}' has no waves yet ('firevoice wave list')")
    if wave_id is None:
        closed = [w for w in waves if w.status == "closed"]
        if not closed:
            raise _open_wave_refusal(waves[-1])
        return closed[-1]
    for wave in waves:
        if wave.id == wave_id:
            if wave.status != "closed":
                raise _open_wave_refusal(wave)
            return wave
    raise ReportError(f"wave {wave_id} is not a wave of '{survey_key}' ('firevoice wave list')")


async def build(
    sessions: Sessions,
    engine: AsyncEngine,
    survey_key: str,
    monitoring: Survey | None,
    *,
    wave_id: int | None = None,
    unit: str | None = None,
    today: date,
    may_release: bool,
    synthetic: bool = False,
    language: str = "en",
) -> Tables:
    """The report's tables for one closed wave (default: the latest), for a scope.

    `may_release` is for administrators only: a wave with no publication yet is then
    released; otherwise it is refused.
    """
    wave = await choose_wave(engine, survey_key, wave_id)
    publication = await stored(sessions, wave.id)
    if publication is None:
        if not may_release:
            raise ReportError(
                f"wave {wave.id}'s results have not been released yet "
                f"('firevoice wave release {wave.id}')"
            )
        publication, _ = await release(
            sessions, engine, wave.id, monitoring=monitoring, today=today, synthetic=synthetic
        )
    try:
        return views.tables(publication, scope=unit, today=today, language=language)
    except views.ViewError as exc:
        raise ReportError(str(exc)) from None


FORMATS = ("html", "pdf", "xlsx", "csv")
MEDIA = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def write(tables: Tables, fmt: str, path: Path) -> None:
    """Write a view in one of FORMATS; raises OSError if the file cannot be written."""
    from analysis.render_csv import write_csv
    from analysis.render_html import write_html
    from analysis.render_pdf import write_pdf
    from analysis.render_xlsx import write_xlsx

    writers = {"html": write_html, "pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv}
    writers[fmt](tables, path)


def render(tables: Tables, fmt: str) -> bytes:
    """A view as the bytes of a file in one of FORMATS (for sending, not keeping)."""
    with tempfile.TemporaryDirectory(prefix="firevoice-report-") as folder:
        path = Path(folder) / f"report.{fmt}"
        write(tables, fmt, path)
        return path.read_bytes()


def file_name(tables: Tables, fmt: str) -> str:
    scope = tables.scope or "all"
    return f"{tables.survey_key}-wave{tables.wave_id}-{scope}.{fmt}"


# Charts and files are drawn off the event loop, one at a time (matplotlib's pyplot is not
# thread-safe), so people answering surveys are not kept waiting.
_drawing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="firevoice-draw")


async def off_loop(work: Callable[..., T], *args: object) -> T:
    """Run drawing or rendering work in the one drawing thread."""
    return await asyncio.get_running_loop().run_in_executor(_drawing, work, *args)
