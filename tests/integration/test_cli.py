"""The real `firevoice` command, run as a user runs it, against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, text

from surveys.links import read_payload
from tests.conftest import ORG_CSV

FIREVOICE = str(Path(sys.executable).parent / "firevoice")

PULSE_HEADER = (
    "unit,date,values_lived,treated_fairly,dignity_respect,confident_to_report,"
    "experienced_bhd,reported_bhd,leaders_role_model,progression_fair,wellbeing_support,"
    "change_explained,enps,comment,age_band,sex,ethnicity,long_term_condition,condition_impact"
)


class Cli:
    def __init__(self, workdir: Path, database_url: str):
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FIREVOICE_")}
        self.env["FIREVOICE_DATABASE_URL"] = database_url
        self.env["FIREVOICE_SECRET_KEY_FILE"] = str(workdir / "firevoice.secret")

    def __call__(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [FIREVOICE, *args],
            cwd=self.workdir,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,  # releasing a wave of the 48-unit synthetic service takes a minute
        )

    def write(self, name: str, content: str) -> str:
        path = self.workdir / name
        path.write_text(content, encoding="utf-8")
        return str(path)


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Iterator[Cli]:
    yield Cli(tmp_path, database_url)


def query(database_url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    """Read (or change) the database the way an administrator with direct access would."""
    sync_url = database_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    if "psycopg" in sync_url:
        import asyncio

        from storage.db import make_engine

        async def run() -> list[tuple]:  # type: ignore[type-arg]
            engine = make_engine(database_url)
            try:
                async with engine.begin() as conn:
                    result = await conn.execute(text(sql))
                    return [tuple(r) for r in result.all()] if result.returns_rows else []
            finally:
                await engine.dispose()

        return asyncio.run(run())
    engine = create_engine(sync_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql))
            return [tuple(r) for r in result.all()] if result.returns_rows else []
    finally:
        engine.dispose()


def test_survey_validate_accepts_good_files_and_lists_every_problem(cli: Cli) -> None:
    good = cli.write(
        "good.yaml",
        "key: g\nkind: forum\ntitle: G\nquestions:\n  - {key: a, type: yes_no, text: A}\n",
    )
    bad = cli.write(
        "bad.yaml",
        "key: b\nkind: forum\ntitle: {cy: B}\nthresholds: {characteristic: 2}\n"
        "questions:\n  - {key: a, type: yes_no, text: A}\n  - {key: a, type: yes_no, text: A}\n",
    )
    ok = cli("survey", "validate", good)
    assert ok.returncode == 0, ok.stderr
    assert "good.yaml: ok (g, 1 questions)" in ok.stdout
    result = cli("survey", "validate", good, bad)
    assert result.returncode == 1
    assert f"{bad}: survey: title: English text ('en') is required" in result.stderr
    assert f"{bad}: survey: thresholds.characteristic:" in result.stderr
    # The schema errors do not hide the others: the repeated question key is listed too.
    assert f"{bad}: question 'a': duplicate question key (also question #1)" in result.stderr
    assert "error: 3 problem(s) found" in result.stderr
    assert "Traceback" not in result.stderr


def test_survey_list_and_show(cli: Cli, tmp_path: Path) -> None:
    extra = tmp_path / "surveys"
    extra.mkdir()
    (extra / "mine.yaml").write_text(
        "key: station_open_day\nkind: community\ntitle: Open day\n"
        "questions:\n  - {key: enjoyed, type: likert, text: I enjoyed the open day}\n"
    )
    listed = cli("survey", "list", env={"FIREVOICE_SURVEYS_DIR": str(extra)})
    assert listed.returncode == 0, listed.stderr
    for key in ("staff_pulse", "community_visit", "forum_consultation", "equality_monitoring"):
        assert key in listed.stdout
    assert "station_open_day" in listed.stdout and str(extra / "mine.yaml") in listed.stdout
    shown = cli("survey", "show", "staff_pulse")
    assert shown.returncode == 0
    import json

    data = json.loads(shown.stdout)
    assert data["key"] == "staff_pulse" and data["thresholds"]["unit"] == 5
    missing = cli("survey", "show", "nope")
    assert missing.returncode == 1 and "no survey with key 'nope'" in missing.stderr


def test_org_import_reports_bad_rows_and_stores_nothing(cli: Cli, database_url: str) -> None:
    bad = cli.write("bad.csv", ORG_CSV + "X,,watch,NFRS,lots\n")
    result = cli("org", "import", bad)
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert "line 10, column name: name is empty" in result.stderr
    assert "line 10, column headcount: 'lots' is not a whole number" in result.stderr
    assert "line 10, column parent_code: a watch must sit under a station" in result.stderr
    assert query(database_url, "SELECT count(*) FROM units") == [(0,)]

    good = cli.write("org.csv", ORG_CSV)
    result = cli("org", "import", good)
    assert result.returncode == 0, result.stderr
    assert "8 unit(s) created, 0 updated" in result.stdout
    tree = cli("org", "list").stdout.splitlines()
    assert tree[0].startswith("NFRS  Northshire Fire and Rescue Service (service, headcount 620)")
    assert "      STN01-RED  Ashford Red Watch (watch, headcount 15)" in tree


def test_missing_and_non_utf8_files_get_a_clear_message(cli: Cli, tmp_path: Path) -> None:
    result = cli("org", "import", "nope.csv")
    assert result.returncode == 1 and "nope.csv: no such file" in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,name\nA,Caf\xe9\n".encode("latin-1"))
    result = cli("org", "import", str(latin))
    assert result.returncode == 1 and "not UTF-8" in result.stderr


def test_a_full_paper_form_import_keeps_the_anonymity_rules(cli: Cli, database_url: str) -> None:
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    opened = cli("wave", "open", "--survey", "staff_pulse", "--label", "November pulse")
    assert opened.returncode == 0, opened.stderr
    assert "opened wave 1 of staff_pulse (November pulse)" in opened.stdout
    from datetime import date

    today = date.today().isoformat()
    rows = [
        f"STN01-RED,{today},agree,agree,agree,agree,yes,no,agree,agree,agree,agree,9,"
        "Call Jo on 07700 900123,age_25_34,female,black_african,yes,a_lot",
        f"STN01-WHITE,{today},disagree,agree,agree,neutral,no,,agree,agree,agree,agree,6,,"
        ",male,prefer_not_to_say,no,",
    ]
    bad = cli.write(
        "bad.csv", "\n".join([PULSE_HEADER, rows[0], rows[1].replace("neutral", "meh")])
    )
    result = cli("responses", "import", bad, "--survey", "staff_pulse")
    assert result.returncode == 1
    assert "line 3, column confident_to_report, value 'meh'" in result.stderr
    assert query(database_url, "SELECT count(*) FROM responses") == [(0,)]

    good = cli.write("good.csv", "\n".join([PULSE_HEADER, *rows]))
    result = cli("responses", "import", good, "--survey", "staff_pulse")
    assert result.returncode == 0, result.stderr
    assert "2 response(s) imported into wave 1" in result.stdout
    listed = cli("wave", "list").stdout
    assert "staff_pulse" in listed and "2 responses" in listed

    # An administrator reading the tables finds answers and equality groups, and nothing
    # that ties them to a person or to a moment finer than the day.
    responses = query(database_url, "SELECT * FROM responses")
    assert len(responses) == 2
    for values in responses:
        for value in values:
            assert not (isinstance(value, str) and ":" in value), value
    dates = query(database_url, "SELECT DISTINCT submitted_on FROM responses")
    assert [str(d[0]) for d in dates] == [today]
    snapshot = query(
        database_url, "SELECT sex, ethnic_group, disability FROM responses ORDER BY sex"
    )
    assert snapshot == [
        ("female", "black", "disabled"),
        ("male", "prefer_not_to_say", "not_disabled"),
    ]
    assert query(database_url, "SELECT count(*) FROM participations") == [(0,)]

    closed = cli("wave", "close", "1")
    assert closed.returncode == 0 and "closed wave 1" in closed.stdout
    again = cli("responses", "import", good, "--survey", "staff_pulse")
    assert again.returncode == 1 and "has no open wave" in again.stderr


def test_a_wrong_import_is_withdrawn_whole_before_release_and_by_a_new_version_after(
    cli: Cli, database_url: str
) -> None:
    from datetime import date

    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    assert cli("wave", "open", "--survey", "staff_pulse").returncode == 0
    today = date.today().isoformat()
    line = f"STN01-RED,{today},agree,agree,agree,agree,no,,agree,agree,agree,agree,8,,,male,,no,"
    right = cli(
        "responses",
        "import",
        cli.write("right.csv", f"{PULSE_HEADER}\n{line}"),
        "--survey",
        "staff_pulse",
    )
    wrong = cli(
        "responses",
        "import",
        cli.write("wrong.csv", "\n".join([PULSE_HEADER, line, line])),
        "--survey",
        "staff_pulse",
    )
    assert right.returncode == 0 and wrong.returncode == 0, wrong.stderr
    wrong_id = wrong.stdout.split(" as import ")[1].split(";")[0]
    right_id = right.stdout.split(" as import ")[1].split(";")[0]
    assert f"'firevoice responses withdraw {wrong_id}'" in wrong.stdout
    listed = cli("responses", "imports").stdout
    assert f"{wrong_id}  wave 1 (staff_pulse)  2 response(s)  can be withdrawn" in listed
    assert f"{right_id}  wave 1 (staff_pulse)  1 response(s)" in listed

    unknown = cli("responses", "withdraw", "9-nothing")
    assert unknown.returncode == 1 and "there is no import '9-nothing'" in unknown.stderr
    withdrawn = cli("responses", "withdraw", wrong_id)
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert f"withdrew import {wrong_id}: 2 response(s) deleted from wave 1" in withdrawn.stdout
    assert query(database_url, "SELECT count(*) FROM responses") == [(1,)]
    assert query(
        database_url,
        "SELECT count(*) FROM answers WHERE response_id NOT IN (SELECT id FROM responses)",
    ) == [(0,)]
    assert wrong_id not in cli("responses", "imports").stdout

    assert cli("wave", "close", "1").returncode == 0
    assert cli("wave", "release", "1").returncode == 0
    assert "counted in released results" in cli("responses", "imports").stdout
    # Once released, withdrawing is a correction: a new version, with its reason.
    unexplained = cli("responses", "withdraw", right_id)
    assert unexplained.returncode == 1 and "Traceback" not in unexplained.stderr
    assert "released on" in unexplained.stderr and "--reason" in unexplained.stderr
    assert query(database_url, "SELECT count(*) FROM publications") == [(1,)]

    corrected = cli("responses", "withdraw", right_id, "--reason", "a test file, not a form")
    assert corrected.returncode == 0, corrected.stderr
    assert "its results are now version 2" in corrected.stdout
    assert query(database_url, "SELECT version, reason FROM publications ORDER BY version") == [
        (1, None),
        (2, "a test file, not a form"),
    ]
    # Kept, marked, for the audit of any later correction; no longer counted anywhere.
    assert query(database_url, "SELECT withdrawn_in FROM responses") == [(2,)]
    assert "0 responses" in cli("wave", "list").stdout
    assert "withdrawn (not counted since version 2" in cli("responses", "imports").stdout
    again = cli("responses", "withdraw", right_id, "--reason", "twice")
    assert again.returncode == 1 and "already withdrawn" in again.stderr
    out = cli.workdir / "report.html"
    report = cli("report", "--survey", "staff_pulse", "--format", "html", "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert "version 2, correcting version 1 (a test file, not a form)" in out.read_text()


def test_a_wave_past_its_closing_date_is_closed_and_can_be_reported(
    cli: Cli, database_url: str
) -> None:
    from datetime import date, timedelta

    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    today = date.today()
    opened = cli("wave", "open", "--survey", "community_visit", "--closes", today.isoformat())
    assert opened.returncode == 0, opened.stderr
    assert "open " in cli("wave", "list").stdout
    # Time passes: the wave's last day for answers was yesterday.
    yesterday = today - timedelta(days=1)
    query(database_url, f"UPDATE waves SET opens_on = '{yesterday}', closes_on = '{yesterday}'")
    listed = cli("wave", "list")
    assert listed.returncode == 0 and "closed" in listed.stdout, listed.stdout
    [(status, closed_on)] = query(database_url, "SELECT status, closed_on FROM waves")
    assert (status, str(closed_on)) == ("closed", yesterday.isoformat())
    out = cli.workdir / "r.csv"
    report = cli("report", "--survey", "community_visit", "--format", "csv", "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert "wave 1" in report.stdout


def test_link_prints_a_signed_start_link_and_a_qr_code(cli: Cli, tmp_path: Path) -> None:
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    qr = tmp_path / "poster.png"
    result = cli(
        "link",
        "--survey",
        "staff_pulse",
        "--unit",
        "STN01-RED",
        "--bot",
        "@northshire_fire_bot",
        "--qr",
        str(qr),
    )
    assert result.returncode == 0, result.stderr
    url = result.stdout.splitlines()[0]
    assert url.startswith("https://t.me/northshire_fire_bot?start=")
    payload = url.split("start=", 1)[1]
    secret = (tmp_path / "firevoice.secret").read_text().strip().encode()
    target = read_payload(secret, payload)
    assert (target.survey_key, target.unit_code) == ("staff_pulse", "STN01-RED")
    with Image.open(qr) as image:
        assert image.format == "PNG" and image.size[0] >= 200

    unknown = cli(
        "link", "--survey", "staff_pulse", "--unit", "STN99", "--bot", "northshire_fire_bot"
    )
    assert unknown.returncode == 1 and "unknown unit code 'STN99'" in unknown.stderr
    no_bot = cli("link", "--survey", "staff_pulse")
    assert no_bot.returncode == 1 and "FIREVOICE_BOT_USERNAME" in no_bot.stderr
    monitoring = cli("link", "--survey", "equality_monitoring", "--bot", "northshire_fire_bot")
    assert monitoring.returncode == 1 and "has no link of its own" in monitoring.stderr
    assert monitoring.stdout == ""


def test_run_without_a_token_says_which_setting_and_how_to_get_one(cli: Cli) -> None:
    # In production (elsewhere a first run starts the dashboard alone: tests/e2e/test_first_run.py)
    result = cli(
        "run", env={"FIREVOICE_ENVIRONMENT": "production", "FIREVOICE_SECRET_KEY": "x" * 48}
    )
    assert result.returncode == 1
    assert "FIREVOICE_BOT_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_settings_fail_at_start_with_the_variable_name(cli: Cli) -> None:
    result = cli("wave", "list", env={"FIREVOICE_DATABASE_URL": "oracle://db"})
    assert result.returncode == 1
    assert "FIREVOICE_DATABASE_URL: must be an SQLite URL" in result.stderr


def test_an_unreachable_database_is_a_message_not_a_traceback(cli: Cli) -> None:
    result = cli(
        "wave",
        "list",
        env={"FIREVOICE_DATABASE_URL": "postgresql+asyncpg://nobody:pw@127.0.0.1:1/x"},
    )
    assert result.returncode == 1
    assert "cannot use the database postgresql+asyncpg://nobody:***@127.0.0.1:1/x" in result.stderr
    assert "pw@" not in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_reports_the_revision(cli: Cli) -> None:
    result = cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "is at revision" in result.stdout


def test_purge_reports_what_it_deleted(cli: Cli) -> None:
    result = cli("purge", env={"FIREVOICE_RETENTION_CONVERSATION_DAYS": "7"})
    assert result.returncode == 0, result.stderr
    assert "deleted 0 unfinished conversation(s), 0 person record(s)" in result.stdout
    bad = cli("purge", env={"FIREVOICE_RETENTION_PERSON_DAYS": "3"})
    assert bad.returncode == 1
    assert (
        "FIREVOICE_RETENTION_PERSON_DAYS: Input should be greater than or equal to 30" in bad.stderr
    )


def test_webhook_options_are_checked(cli: Cli) -> None:
    result = cli("run", "--webhook", env={"FIREVOICE_BOT_TOKEN": "123456:" + "A" * 35})
    assert result.returncode == 2
    assert "--webhook needs --public-url" in result.stderr


def test_wave_release_stores_the_publication_once_and_says_what_the_audit_did(
    cli: Cli, database_url: str
) -> None:
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    assert cli("wave", "open", "--survey", "community_visit").returncode == 0
    early = cli("wave", "release", "1")
    assert early.returncode == 1 and "wave 1 is still open" in early.stderr
    assert "Traceback" not in early.stderr
    missing = cli("wave", "release", "7")
    assert missing.returncode == 1 and "there is no wave 7" in missing.stderr
    assert cli("wave", "close", "1").returncode == 0
    released = cli("wave", "release", "1")
    assert released.returncode == 0, released.stderr
    assert "released wave 1" in released.stdout
    assert "Disclosure audit:" in released.stdout
    [(version, digest)] = query(database_url, "SELECT version, digest FROM publications")
    assert version == 1 and len(digest) == 64
    again = cli("wave", "release", "1")
    assert again.returncode == 0 and "already released" in again.stdout
    assert query(database_url, "SELECT version, digest FROM publications") == [(1, digest)]
    assert "(results released" in cli("wave", "list").stdout


def test_schedules_are_added_listed_and_removed_with_clear_messages(cli: Cli) -> None:
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    empty = cli("schedule", "list")
    assert empty.returncode == 0 and "no schedules yet" in empty.stdout
    added = cli(
        "schedule", "add", "--survey", "staff_pulse", "--every", "quarter", "--open-on", "1",
        "--days", "14", "--unit", "N-AREA", "--label-format", "Pulse {quarter} {year}",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added schedule 1" in added.stdout
    assert "every quarter on day 1, open for 14 day(s); audience N-AREA" in added.stdout
    assert "next: 'Pulse Q" in added.stdout  # the date depends on today
    listed = cli("schedule", "list").stdout
    assert "staff_pulse: every quarter" in listed and "0 wave(s) opened" in listed
    for args, message in [
        (["--every", "fortnight"], "--every 'fortnight': choose one of month, quarter, year"),
        (["--every", "month", "--open-on", "30"], "--open-on 30: the opening day must be"),
        (["--every", "month", "--days", "40"], "--days 40: a wave would still be open"),
    ]:
        refused = cli(
            "schedule", "add", "--survey", "staff_pulse", "--open-on", "1", "--days", "14",
            "--every", "quarter", *args,
        )  # fmt: skip
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
    removed = cli("schedule", "remove", "1")
    assert (
        removed.returncode == 0 and "removed schedule 1: it opens no more waves" in removed.stdout
    )
    again = cli("schedule", "remove", "1")
    assert again.returncode == 1 and "schedule 1 was removed on" in again.stderr
    assert cli("schedule", "list").stdout.count("removed on") == 1


def test_invitations_are_counted_by_unit_before_anything_is_sent(cli: Cli) -> None:
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    opened = cli("wave", "open", "--survey", "staff_pulse", "--unit", "STN01")
    assert opened.returncode == 0, opened.stderr
    assert "0 invitation(s) queued for people who agreed to be messaged" in opened.stdout
    dry = cli("wave", "invite", "1", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "0 person(s) to invite in wave 1's audience" in dry.stdout
    assert "dry run: nothing queued" in dry.stdout
    real = cli("wave", "invite", "1", "--no-wait")
    assert real.returncode == 0 and "0 queued now, 0 queued or sent before" in real.stdout
    missing = cli("wave", "invite", "9")
    assert missing.returncode == 1 and "there is no wave 9" in missing.stderr
    assert cli("wave", "close", "1").returncode == 0
    closed = cli("wave", "invite", "1")
    assert closed.returncode == 1 and "wave 1 is closed: nobody can be invited" in closed.stderr
