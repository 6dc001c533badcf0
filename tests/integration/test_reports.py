"""`firevoice report` and `firevoice demo`, run as a user runs them."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from analysis import synthetic
from storage import bulk, migrate, services
from storage.db import make_engine, make_sessionmaker
from storage.rows import wave_survey
from surveys.loader import SurveyCatalog
from tests.conftest import BATCHING, ORG_CSV
from tests.integration.test_cli import FIREVOICE, Cli

CATALOG = SurveyCatalog.load()


async def seed(
    database_url: str,
    per_survey: int = 160,
    small_watch: bool = True,
    close: bool = True,
    org_csv: str | None = None,
) -> None:
    """The synthetic service (or `org_csv`) with one wave per bundled survey (closed),
    and a watch of 3."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    try:
        await services.import_org(sessions, org_csv or synthetic.organisation_csv())
        for index, key in enumerate(("staff_pulse", "community_visit", "forum_consultation")):
            survey = CATALOG.get(key)
            wave = await services.open_wave(sessions, survey, today=date.today())
            generated = synthetic.generate(survey, per_survey, seed=index + 3, org_csv=org_csv)
            rows = list(synthetic.rows(generated))
            if small_watch and key == "staff_pulse":
                # Nobody else at S01 White Watch: three people who must never be visible.
                rows = [r for r in rows if r[0] != "S01-W"]
                rows += [("S01-W", dict(rows[0][1]), dict(rows[0][2])) for _ in range(3)]
            await bulk.insert_responses(engine, wave.id, survey, rows, date.today())
            if close:
                await services.close_wave(sessions, BATCHING, wave.id, today=date.today())
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database with its three waves released, made once for this module:
    releasing is the slow part, and reports only read what it stored."""
    folder = tmp_path_factory.mktemp("released")
    url = f"sqlite+aiosqlite:///{folder / 'reports.db'}"
    migrate.upgrade(url)
    asyncio.run(seed(url))
    cli = Cli(folder, url)
    for wave in ("1", "2", "3"):
        result = cli("wave", "release", wave)
        assert result.returncode == 0, result.stderr
    return folder / "reports.db"


@pytest.fixture
def seeded(tmp_path: Path, released: Path) -> Cli:
    """A copy of the released database, so no test sees another's changes."""
    shutil.copyfile(released, tmp_path / "reports.db")
    return Cli(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'reports.db'}")


def test_every_format_for_every_bundled_survey_and_the_numbers_agree(
    seeded: Cli, tmp_path: Path
) -> None:
    for key in ("staff_pulse", "community_visit", "forum_consultation"):
        outputs = {}
        for fmt in ("csv", "xlsx", "html", "pdf"):
            out = tmp_path / f"{key}.{fmt}"
            result = seeded("report", "--survey", key, "--format", fmt, "--out", str(out))
            assert result.returncode == 0, result.stderr
            assert out.stat().st_size > 0
            outputs[fmt] = out
        rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text())))
        assert set(rows[0]) >= {
            "survey",
            "wave",
            "question",
            "breakdown",
            "group",
            "n",
            "pct_favourable",
            "ci_low",
            "ci_high",
            "mean",
            "enps",
            "suppressed",
        }
        sheet = load_workbook(outputs["xlsx"])["Results"]
        header = [c.value for c in sheet[1]]
        xlsx_rows = [
            dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
        ]
        assert len(xlsx_rows) == len(rows)
        for from_csv, from_xlsx in zip(rows, xlsx_rows, strict=True):
            assert (from_csv["question"], from_csv["breakdown"], from_csv["group"]) == (
                from_xlsx["question"],
                from_xlsx["breakdown"],
                from_xlsx["group"],
            )
            for column in ("n", "pct_favourable", "mean", "enps"):
                if from_csv[column] == "":
                    assert from_xlsx[column] is None
                else:
                    assert float(from_csv[column]) == pytest.approx(from_xlsx[column], abs=0.006)
        html = outputs["html"].read_text()
        pdf_text = "\n".join(page.extract_text() for page in PdfReader(outputs["pdf"]).pages)
        overall = [r for r in rows if r["breakdown"] == "all" and r["pct_favourable"]]
        for r in overall:
            shown = f"{float(r['pct_favourable']):.0f}%"
            assert shown in html and shown in pdf_text
        assert "data:image/png;base64," in html and " alt='" in html


def test_no_output_shows_the_watch_of_three(seeded: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pulse.csv"
    assert (
        seeded("report", "--survey", "staff_pulse", "--format", "csv", "--out", str(out)).returncode
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    watch = [r for r in rows if r["group"] == "S01-W"]
    assert watch and all(
        r["suppressed"] == "true" and r["n"] == "" and r["pct_favourable"] == "" for r in watch
    )
    # Its station must not give the watch away by subtraction either.
    for question in {r["question"] for r in watch}:
        station = next(r for r in rows if r["question"] == question and r["group"] == "S01")
        watches = [r for r in rows if r["question"] == question and r["group"].startswith("S01-")]
        if station["suppressed"] == "false":
            shown = sum(float(r["n"]) for r in watches if r["suppressed"] == "false")
            remainder = float(station["n"]) - shown
            assert remainder == 0 or remainder >= 5
    html_out = tmp_path / "pulse.html"
    assert (
        seeded(
            "report", "--survey", "staff_pulse", "--format", "html", "--out", str(html_out)
        ).returncode
        == 0
    )
    html = html_out.read_text()
    assert "Ashby White Watch" in html  # listed, with its figures hidden
    row_html = html.split("Ashby White Watch")[1].split("</tr>")[0]
    assert "class='hidden'" in row_html and "%" not in row_html


def test_a_station_managers_report_covers_only_their_station(seeded: Cli, tmp_path: Path) -> None:
    out = tmp_path / "station.csv"
    result = seeded(
        "report", "--survey", "staff_pulse", "--unit", "S01", "--format", "csv", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Ashby" in result.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    units = {"S01", "S01-R", "S01-W", "S01-B", "S01-G"}
    # Its units, and the station's own rows by characteristic (station × sex and so on,
    # shown where the publication allows); nothing of other stations or service-wide.
    groups = {r["group"].split("|")[0] for r in rows if r["breakdown"] != "all"}
    assert groups <= units
    crossed = {r["breakdown"] for r in rows if "×" in r["breakdown"]}
    assert crossed and all(b.startswith("station×") for b in crossed)
    assert not any(r["breakdown"] in ("sex", "ethnic_group") for r in rows)
    full = tmp_path / "full.csv"
    seeded("report", "--survey", "staff_pulse", "--format", "csv", "--out", str(full))
    full_rows = {
        (r["question"], r["breakdown"], r["group"]): r
        for r in csv.DictReader(io.StringIO(full.read_text()))
    }
    for r in rows:
        assert full_rows[(r["question"], r["breakdown"], r["group"])] == r


def test_report_mistakes_get_clear_messages(seeded: Cli, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    bad_format = seeded("report", "--survey", "staff_pulse", "--format", "docx", "--out", out)
    assert bad_format.returncode == 2 and "not one of html, pdf, xlsx, csv" in bad_format.stderr
    unknown_unit = seeded(
        "report", "--survey", "staff_pulse", "--unit", "NOPE", "--format", "csv", "--out", out
    )
    assert unknown_unit.returncode == 1
    assert "unit 'NOPE' was not in wave 1's organisation" in unknown_unit.stderr
    unknown_wave = seeded(
        "report", "--survey", "staff_pulse", "--wave", "99", "--format", "csv", "--out", out
    )
    assert (
        unknown_wave.returncode == 1
        and "wave 99 is not a wave of 'staff_pulse'" in unknown_wave.stderr
    )
    for result in (bad_format, unknown_unit, unknown_wave):
        assert "Traceback" not in result.stderr


def test_a_wave_is_released_once_and_then_its_responses_are_fixed(
    tmp_path: Path, database_url: str
) -> None:
    # Rule 4: two releases of one wave must never differ by a few late answers.
    # A small service: what is tested is the order of events, not the tables.
    asyncio.run(seed(database_url, per_survey=60, small_watch=False, close=False, org_csv=ORG_CSV))
    cli = Cli(tmp_path, database_url)
    out = tmp_path / "pulse.csv"
    early = cli("report", "--survey", "staff_pulse", "--format", "csv", "--out", str(out))
    assert early.returncode == 1 and "wave 1 is still open" in early.stderr
    assert "firevoice wave close 1" in early.stderr and "Traceback" not in early.stderr
    assert not out.exists()

    assert cli("wave", "close", "1").returncode == 0
    # A new wave of the same survey is open: the default report is the latest closed one,
    # and the open wave's figures stay out of it, trend included.
    assert cli("wave", "open", "--survey", "staff_pulse").returncode == 0
    released = cli("report", "--survey", "staff_pulse", "--format", "html", "--out", str(out))
    assert released.returncode == 0, released.stderr
    assert "wave 1," in released.stdout
    assert f"(results released {date.today().isoformat()})" in cli("wave", "list").stdout

    today = date.today().isoformat()
    late = cli.write(
        "late.csv",
        "unit,date,values_lived,treated_fairly,dignity_respect,confident_to_report,"
        "experienced_bhd,leaders_role_model,progression_fair,wellbeing_support,"
        f"change_explained,enps\nSTN01-RED,{today},agree,agree,agree,agree,no,agree,agree,agree,"
        "agree,9\n",
    )
    before = cli("wave", "list").stdout
    refused = cli("responses", "import", late, "--survey", "staff_pulse", "--wave", "1")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "wave 1's results were released in a report on" in refused.stderr
    assert cli("wave", "list").stdout == before  # nothing stored
    # The same file goes into the open wave without complaint.
    accepted = cli("responses", "import", late, "--survey", "staff_pulse", "--wave", "4")
    assert accepted.returncode == 0, accepted.stderr


def test_reports_read_from_postgresql_too(database_url: str, tmp_path: Path) -> None:
    asyncio.run(seed(database_url, per_survey=80, small_watch=False, org_csv=ORG_CSV))
    cli = Cli(tmp_path, database_url)
    out = tmp_path / "pg.csv"
    result = cli("report", "--survey", "forum_consultation", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    overall = next(r for r in rows if r["breakdown"] == "all" and r["question"] == "network")
    assert overall["n"] != "" and float(overall["n"]) > 0


def test_demo_builds_a_labelled_synthetic_report(tmp_path: Path) -> None:
    result = subprocess.run(
        [FIREVOICE, "demo", "--out", str(tmp_path / "demo"), "--per-wave", "150"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "demo" / "staff_pulse_report.html").read_text()
    assert "SYNTHETIC DATA" in html and "Trend across waves" in html
    pdf = PdfReader(tmp_path / "demo" / "staff_pulse_report.pdf")
    assert all("SYNTHETIC DATA" in page.extract_text() for page in pdf.pages)


async def test_the_large_wave_query_plan_reads_the_same_rows(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import reporting

    await seed(database_url, per_survey=40, small_watch=False)
    engine = make_engine(database_url)
    try:
        wave = (await reporting.waves_of(engine, "staff_pulse"))[0]
        survey = wave_survey(wave)

        async def rows() -> list[tuple[object, ...]]:
            out: list[tuple[object, ...]] = []
            async for _, chunk in reporting.response_rows(engine, wave.id, survey, chunk=7):
                out += [tuple(r) for r in chunk]
            return sorted(out, key=repr)

        normal = await rows()
        monkeypatch.setattr(reporting, "LARGE_WAVE", 0)
        assert await rows() == normal
        assert len(normal) == 40 and all(r[0] for r in normal)
        assert any(r[-1] is not None for r in normal)  # the 0-10 item, as a number
    finally:
        await engine.dispose()


def test_a_welsh_report_has_welsh_words_around_the_same_figures(
    seeded: Cli, tmp_path: Path
) -> None:
    made = {}
    for language, fmt in (("en", "html"), ("cy", "html"), ("cy", "pdf")):
        out = tmp_path / f"{language}.{fmt}"
        result = seeded(
            "report", "--survey", "staff_pulse", "--format", fmt, "--out", str(out),
            "--unit", "S01", "--language", language,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        made[language, fmt] = out
    welsh = made["cy", "html"].read_text()
    english = made["en", "html"].read_text()
    assert "<html lang='cy'>" in welsh and "<html lang='en'>" in english
    for words in ("Crynodeb", "Fesul uned y sefydliad", "Sut i ddarllen yr adroddiad hwn"):
        assert words in welsh and words not in english
    # The survey's own Welsh question texts, and the same figures in both.
    assert "Rwy&#x27;n cael fy nhrin yn deg yn y gwaith." in welsh
    figures = re.compile(r"<td>(\d+%?)</td>")
    assert figures.findall(welsh) == figures.findall(english)
    pdf = "".join(page.extract_text() for page in PdfReader(made["cy", "pdf"]).pages)
    assert "tudalen 1" in pdf and "Crynodeb" in pdf
    wrong = seeded("report", "--survey", "staff_pulse", "--format", "html", "--out",
                   str(tmp_path / "x.html"), "--language", "fr")  # fmt: skip
    assert wrong.returncode == 2 and "--language: 'fr' is not one of en, cy" in wrong.stderr
