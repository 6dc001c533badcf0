"""Roles and /results, as a station manager and a diversity officer use them on a phone.

The real bot runs against the fake Bot API. The service has two released waves of the staff
pulse; roles are granted with `firevoice role invite`, and every figure the chat shows is
checked against the CSV report of the same scope, which reads the same publication.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar

from bot.progress import Prog
from bot.results import Res
from storage import progress, services
from storage.uow import UnitOfWork
from surveys.pseudonym import pseudonym
from surveys.sealing import contact_key, person_box, seal_value
from tests.e2e.conftest import BotProcess, DashboardBot, Service, bot_env, released_service
from tests.e2e.fake_telegram import BOT_USERNAME, FakeTelegram, Person
from tests.integration.test_cli import Cli

LINK = re.compile(r"https://t\.me/" + BOT_USERNAME + r"\?start=([A-Za-z0-9_-]+)")


@pytest.fixture
async def results_bot(
    telegram: FakeTelegram, tmp_path: Path, released_template: Path
) -> AsyncIterator[tuple[BotProcess, Service, Cli]]:
    svc = await released_service(tmp_path, released_template)
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(telegram, api_url, tmp_path, bot_env(api_url, svc, tmp_path))
    await process.start()
    yield process, svc, Cli(tmp_path, svc.database_url)
    await process.stop()
    await svc.close()


def invite(cli: Cli, *args: str) -> str:
    result = cli("role", "invite", *args, "--bot", BOT_USERNAME)
    assert result.returncode == 0, result.stderr
    match = LINK.search(result.stdout)
    assert match, result.stdout
    return match.group(1)


def csv_rows(cli: Cli, tmp_path: Path, unit: str, wave: int) -> list[dict[str, str]]:
    out = tmp_path / f"{unit}.csv"
    result = cli(
        "report", "--survey", "staff_pulse", "--format", "csv", "--out", str(out),
        "--wave", str(wave), "--unit", unit,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(out.read_text())))


async def wait_for_file(telegram: FakeTelegram, person: Person, suffix: str) -> bytes:
    def found() -> bool:
        return any(k[0] == person.id and n.endswith(suffix) for k, (n, _) in telegram.files.items())

    await telegram.wait_until(found, timeout=60)
    return next(
        data for k, (n, data) in telegram.files.items() if k[0] == person.id and n.endswith(suffix)
    )


async def test_a_station_manager_gets_their_stations_summary_chart_and_pdf(
    results_bot: tuple[BotProcess, Service, Cli], telegram: FakeTelegram, tmp_path: Path
) -> None:
    _, svc, cli = results_bot
    payload = invite(cli, "--role", "manager", "--unit", "STN01", "--label", "Ashford SM")
    manager = Person(telegram, name="Alex")

    # Before the role: /results refuses politely and the menu has no /results.
    await manager.say("/results")
    assert "ask your firevoice administrator" in manager.last().text
    default_menu = [c for c in telegram.calls_of("setMyCommands") if "scope" not in c.params]
    assert default_menu
    assert all("results" not in [x["command"] for x in c.params["commands"]] for c in default_menu)

    await manager.say(f"/start {payload}")
    assert (
        "You now hold the role \u201cAshford SM\u201d (manager for Ashford)" in manager.last().text
    )
    await telegram.wait_until(
        lambda: any(
            c.params.get("scope", {}).get("chat_id") == manager.id
            and "results" in [x["command"] for x in c.params["commands"]]
            for c in telegram.calls_of("setMyCommands")
        )
    )

    # The link works once, and an edited one not at all.
    someone = Person(telegram, name="Kim")
    edited = payload[:5] + ("A" if payload[5] != "A" else "B") + payload[6:]
    await someone.say(f"/start {edited}")
    assert "this link is not valid" in someone.last().text
    await someone.say(f"/start {payload}")
    assert "already been used" in someone.last().text
    await someone.say("/results")
    assert "ask your firevoice administrator" in someone.last().text

    mark = manager.mark()
    await manager.say("/results")
    summary = await manager.expect("Strongest", since=mark)
    chart = await wait_for_file(telegram, manager, ".png")
    assert chart.startswith(b"\x89PNG")
    assert "Pulse Q3: Ashford" in summary.text
    assert "Since Pulse Q2:" in summary.text

    # Every figure agrees with the CSV report of the same scope (the same publication).
    rows = csv_rows(cli, tmp_path, "STN01", 2)
    station = {
        r["question"]: float(r["pct_favourable"])
        for r in rows
        if r["breakdown"] == "station" and r["group"] == "STN01" and r["pct_favourable"]
    }
    shown = re.findall(r"• (.+): (\d+)%", summary.text.split("Since")[0])
    assert len(shown) == 6
    texts = {q.text["en"]: q.key for q in svc.catalog.get("staff_pulse").questions}
    for text, value in shown:
        assert round(station[texts[text]]) == int(value)
    counted = re.search(r"(\d+) people answered", summary.text)
    assert counted
    assert any(
        r.get("breakdown") == "station"
        and r.get("group") == "STN01"
        and r.get("n") == counted.group(1)
        for r in rows
    )

    # The full report as a PDF, sent as a document.
    await manager.press("Full report (PDF)")
    pdf = await wait_for_file(telegram, manager, ".pdf")
    assert pdf.startswith(b"%PDF")

    # A forged button for a unit outside the role is refused, and nothing is sent.
    files_before = len(telegram.files)
    mark = manager.mark()
    forged = Res(a="f", r=1, w=2, u="S-AREA", v="csv").pack()
    await manager.press_data(summary, forged)
    await manager.expect("not covered by your role", since=mark)
    assert len(telegram.files) == files_before

    # Every view and download is in the access log.
    log = cli("audit")
    assert log.returncode == 0, log.stderr
    assert re.search(r"Ashford SM\s+STN01\s+2\s+summary", log.stdout)
    assert re.search(r"Ashford SM\s+STN01\s+2\s+pdf", log.stdout)
    assert "S-AREA" not in log.stdout


async def test_an_officer_chooses_wave_and_scope_and_gets_the_file(
    results_bot: tuple[BotProcess, Service, Cli], telegram: FakeTelegram, tmp_path: Path
) -> None:
    process, _, cli = results_bot
    payload = invite(
        cli, "--role", "officer", "--unit", "NFRS", "--label", "EDI officer", "--expires", "2h"
    )
    officer = Person(telegram, name="Ola", language="en")
    await officer.say(f"/start {payload}")
    await officer.say("/results")
    assert "Which wave" in officer.last().text
    mark = officer.mark()
    await officer.press("Pulse Q2")
    await officer.expect("results for Northshire", since=mark)
    mark = officer.mark()
    await officer.press("North Area")
    await officer.expect("results for North Area", since=mark)
    await officer.press("Spreadsheet (XLSX)")
    assert (await wait_for_file(telegram, officer, ".xlsx")).startswith(b"PK")
    await officer.press("Data (CSV)")
    sent = (await wait_for_file(telegram, officer, ".csv")).decode()
    assert sorted(csv.DictReader(io.StringIO(sent)), key=str) == sorted(
        csv_rows(cli, tmp_path, "N-AREA", 1), key=str
    )

    # Revoked: /results stops at once, and the menu loses /results when the bot next tidies.
    listed = cli("role", "list")
    assert re.search(r"officer\s+NFRS\s+active", listed.stdout)
    role_id = re.search(r"(\d+)\s+officer", listed.stdout)
    assert role_id
    assert cli("role", "revoke", role_id.group(1)).returncode == 0
    await officer.say("/results")
    assert "ask your firevoice administrator" in officer.last().text
    await process.stop()
    await process.start()
    await telegram.wait_until(
        lambda: any(
            c.params.get("scope", {}).get("chat_id") == officer.id
            for c in telegram.calls_of("deleteMyCommands")
        ),
        timeout=30,
    )


async def test_a_manager_reads_results_in_welsh(
    results_bot: tuple[BotProcess, Service, Cli], telegram: FakeTelegram
) -> None:
    _, _, cli = results_bot
    payload = invite(cli, "--role", "manager", "--unit", "STN01", "--label", "Rheolwr Ashford")
    manager = Person(telegram, name="Rhys", language="cy")
    await manager.say(f"/start {payload}")
    assert "Mae gennych y rôl" in manager.last().text
    mark = manager.mark()
    await manager.say("/results")
    summary = await manager.expect("Cryfaf", since=mark)
    assert "Ers Pulse Q2" in summary.text
    assert "Adroddiad llawn (PDF)" in str(summary.buttons)


async def test_dashboard_sends_a_private_sign_in_link_that_opens_the_dashboard(
    telegram: FakeTelegram, dashboard_bot: DashboardBot
) -> None:
    base = dashboard_bot.base
    payload = invite(
        dashboard_bot.cli, "--role", "manager", "--unit", "STN01", "--label", "Ashford SM"
    )
    stranger = Person(telegram, name="Jo")
    await stranger.say("/dashboard")
    assert "ask your firevoice administrator" in stranger.last().text

    manager = Person(telegram, name="Alex")
    await manager.say(f"/start {payload}")
    await telegram.wait_until(
        lambda: any(
            c.params.get("scope", {}).get("chat_id") == manager.id
            and "dashboard" in [x["command"] for x in c.params["commands"]]
            for c in telegram.calls_of("setMyCommands")
        )
    )
    await manager.say("/dashboard")
    message = manager.last()
    link = re.search(re.escape(base) + r"/dashboard/signin\?t=[A-Za-z0-9_-]+", message.text)
    assert link, message.text
    sent = next(
        c for c in reversed(telegram.calls_of("sendMessage")) if c.params["chat_id"] == manager.id
    )
    assert sent.params["link_preview_options"]["is_disabled"] is True

    # unsafe: accept cookies from an IP address, as browsers do
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
        async with browser.get(link.group(0)) as page:  # a preview fetch would do this
            assert page.status == 200
        token = link.group(0).split("t=")[1]
        async with browser.post(f"{base}/dashboard/signin", data={"t": token}) as signed:
            assert signed.status == 200
            assert "Pulse Q3: Ashford" in await signed.text()


async def test_an_expired_invitation_is_refused(
    telegram: FakeTelegram, service: Service, tmp_path: Path
) -> None:
    payload = invite(
        Cli(tmp_path, service.database_url),
        "--role", "manager", "--unit", "STN01", "--label", "Ashford SM", "--expires", "1h",
    )  # fmt: skip
    api_url = f"http://127.0.0.1:{telegram.port}"
    process = BotProcess(telegram, api_url, tmp_path, bot_env(api_url, service, tmp_path))
    process.clock = datetime.now(UTC) + timedelta(hours=2)  # the bot runs two hours later
    await process.start()
    try:
        manager = Person(telegram, name="Alex")
        await manager.say(f"/start {payload}")
        assert "This invitation has expired" in manager.last().text
        await manager.say("/results")
        assert "ask your firevoice administrator" in manager.last().text
    finally:
        await process.stop()


async def test_a_manager_follows_an_open_wave_in_whole_batches(
    results_bot: tuple[BotProcess, Service, Cli], telegram: FakeTelegram
) -> None:
    _, svc, cli = results_bot
    payload = invite(cli, "--role", "manager", "--unit", "N-AREA", "--label", "North GM")
    manager = Person(telegram, name="Sam")
    await manager.say(f"/start {payload}")

    await manager.say("/progress")
    assert "No survey covering North Area is open" in manager.last().text

    survey = svc.catalog.get("staff_pulse")
    today = date.today()
    wave = await services.open_wave(
        svc.sessions, survey, today=today, label="Pulse Q4", closes_on=today + timedelta(days=9)
    )
    # Nine answers for Ashford's watches: still waiting for their batch, so nothing shows.
    for number in range(9):
        await submit(svc, wave.id, ("STN01-RED", "STN01-WHITE")[number % 2], number, today)
    mark = manager.mark()
    await manager.say("/progress")
    shown = await manager.expect("responses so far", since=mark)
    assert "Open until" in shown.text and "10 days left" in shown.text
    assert "North Area: fewer than 5 so far" in shown.text
    assert "Ashford: fewer than 5 so far" in shown.text
    assert "Red Watch" not in shown.text

    # The tenth releases the batch: the count moves by ten at once.
    await submit(svc, wave.id, "STN01-RED", 9, today)
    mark = manager.mark()
    await manager.press("Refresh", shown)
    moved = await manager.expect("responses so far", since=mark)
    assert "North Area: 10 of " in moved.text
    assert "Ashford: 10 of 60 (17%)" in moved.text

    # A forged button for a unit outside the role is refused.
    mark = manager.mark()
    await manager.press_data(moved, Prog(r=1, w=wave.id, u="S-AREA").pack())
    await manager.expect("not covered by your role", since=mark)

    # Everything shown is on record for the wave's audit, and in the access log.
    assert await progress.floors(svc.engine, wave.id) == {"STN01": 10}
    log = cli("audit")
    assert re.search(rf"North GM\s+N-AREA\s+{wave.id}\s+progress", log.stdout), log.stdout

    someone = Person(telegram, name="Kim")
    await someone.say("/progress")
    assert "ask your firevoice administrator" in someone.last().text


async def submit(svc: Service, wave_id: int, unit: str, number: int, today: date) -> None:
    """Someone answers in the chat: their answers wait in their station's pool."""
    who = f"{number:064d}"
    async with UnitOfWork(svc.sessions) as uow:
        await services.update_person(uow, who, today, consented=True)
        await uow.commit()
    outcome = await services.submit_response(
        svc.sessions,
        svc.batching,
        wave_id=wave_id,
        unit_code=unit,
        pseudonym=who,
        answers={"values_lived": "agree"},
        snapshot={"sex": "female"},
        today=today,
    )
    assert outcome == services.SubmitOutcome.STORED


async def contactable(
    svc: Service, person: Person, home: str, *, agreed: bool = True, results: bool | None = True
) -> None:
    """Someone who answered before, as the bot keeps them: their chat id and home unit
    sealed with the server key (bot/chat.py), and whether results messages are welcome."""
    who = pseudonym(svc.secret, "telegram", person.id)
    key = contact_key(svc.secret)
    async with UnitOfWork(svc.sessions) as uow:
        await services.update_person(
            uow,
            who,
            date.today(),
            consented=True,
            language="en",
            contact_ok=agreed,
            contact_active=agreed,
            contact_sealed=seal_value(key, person.id, person_box("contact", who))
            if agreed
            else None,
            home_unit_sealed=seal_value(key, home, person_box("home_unit", who))
            if agreed
            else None,
            results_ok=results,
        )
        await uow.commit()


async def test_an_officer_approves_you_said_we_did_and_only_contactable_people_hear_it(
    telegram: FakeTelegram, dashboard_bot: DashboardBot, tmp_path: Path
) -> None:
    svc, base = dashboard_bot.service, dashboard_bot.base
    ana, ben, cai = (Person(telegram, name=n) for n in ("Ana", "Ben", "Cai"))
    await contactable(svc, ana, "STN01-RED")  # agreed since the question covered results
    await contactable(svc, ben, "STN01-RED", agreed=False)  # never agreed to be messaged
    await contactable(svc, cai, "STN02", results=None)  # agreed before it covered results
    marks = {p.id: p.mark() for p in (ana, ben, cai)}

    payload = invite(dashboard_bot.cli, "--role", "officer", "--unit", "NFRS", "--label", "EDI")
    officer = Person(telegram, name="Officer")
    await officer.say(f"/start {payload}")
    await officer.say("/dashboard")
    link = re.search(
        re.escape(base) + r"/dashboard/signin\?t=([A-Za-z0-9_-]+)", officer.last().text
    )
    assert link
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
        async with browser.post(f"{base}/dashboard/signin", data={"t": link.group(1)}) as signed:
            assert signed.status == 200
        async with browser.get(f"{base}/dashboard/followups?wave=2") as page:
            text = await page.text()
        assert page.status == 200 and "Approve and send" in text
        # Before approving, the officer sees whom it would reach, as counts only.
        assert "If approved now: sent to 1 here who agreed to hear about results" in text
        assert "; 1 who agreed to be messaged before results were mentioned" in text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
        assert csrf
        form = {"csrf": csrf.group(1), "action": "0"}
        async with browser.post(f"{base}/dashboard/followups?wave=2", data=form) as approved:
            assert "Approved by EDI" in await approved.text()
            assert "1 messages queued" in await approved.text()
        async with browser.post(f"{base}/dashboard/followups?wave=2", data=form) as again:
            assert again.status == 400 and "already been approved" in await again.text()

    # Ana hears what Ashford told us (her watch's figures are hidden), with the figures of
    # the publication; Ben hears nothing; Cai is asked first whether such messages are welcome.
    heard = await ana.expect("what you told us", since=marks[ana.id], timeout=20)
    counted = re.search(r"(\d+) people in Ashford answered", heard.text)
    assert counted, heard.text
    assert any(
        r["breakdown"] == "station" and r["group"] == "STN01" and r["n"] == counted.group(1)
        for r in csv_rows(dashboard_bot.cli, tmp_path, "STN01", 2)
    )
    assert "No actions have been recorded yet" in heard.text
    asked = await cai.expect("Would you like those too?", since=marks[cai.id], timeout=20)
    await cai.press("Yes, tell me", asked)
    await cai.expect("we will tell you about results", since=marks[cai.id])
    assert "what you told us" not in "".join(m.text for m in cai.chat[marks[cai.id] :])
    assert not ben.chat[marks[ben.id] :]
