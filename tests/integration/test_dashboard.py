"""The web dashboard over HTTP (web/app.py), as a manager, an officer and an admin use it,
against a database with two released waves of the staff pulse."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
import shutil
import time
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from bot.app import App, build_app
from bot.settings import load_settings
from storage import actions, dashboard, followups, progress, roles, services
from storage.uow import UnitOfWork
from surveys.access import RoleKind
from surveys.actions import Status
from surveys.actions import check as check_action
from tests.e2e.conftest import make_released_service
from tests.integration.test_cli import Cli
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeIdentityProvider
from web.app import HEADERS, make_web_app


@pytest.fixture(scope="module")
def released_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard")

    async def make() -> None:
        svc = await make_released_service(folder)
        await svc.close()

    asyncio.run(make())
    return folder


@pytest.fixture
async def app(released_db: Path, tmp_path: Path) -> AsyncIterator[App]:
    for name in ("firevoice.db", "firevoice.secret"):
        shutil.copyfile(released_db / name, tmp_path / name)
    (tmp_path / "firevoice.secret").chmod(0o600)
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'firevoice.db'}",
        secret_key_file=tmp_path / "firevoice.secret",
        dashboard_url="http://127.0.0.1",
    )
    application = build_app(settings)
    yield application
    await application.close()


async def holder_of(app: App, role: RoleKind, unit: str, label: str) -> int:
    invitation = await roles.invite(
        app.sessions, role, unit, label, hours=1, now=time.time(), today=date.today()
    )
    async with UnitOfWork(app.sessions) as uow:
        await roles.bind(
            uow,
            invitation.ticket,
            label.ljust(64, "x")[:64],
            "x",
            now=time.time(),
            today=date.today(),
        )
        await uow.commit()
    return invitation.role.id


async def ticket(app: App, role_id: int, now: float | None = None) -> str:
    async with UnitOfWork(app.sessions) as uow:
        token = await dashboard.issue_ticket(uow, role_id, now=now or time.time())
        await uow.commit()
    return token


async def client_for(app: App) -> TestClient:  # type: ignore[type-arg]
    client = TestClient(TestServer(make_web_app(app)))
    await client.start_server()
    return client


async def signed_in(app: App, role: RoleKind, unit: str, label: str) -> tuple[TestClient, int]:  # type: ignore[type-arg]
    role_id = await holder_of(app, role, unit, label)
    client = await client_for(app)
    answer = await client.post("/dashboard/signin", data={"t": await ticket(app, role_id)})
    assert str(answer.url).endswith("/dashboard/")  # signed in, on the overview
    return client, role_id


async def test_a_sign_in_link_survives_a_preview_and_opens_one_session(app: App) -> None:
    role_id = await holder_of(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    token = await ticket(app, role_id)
    client = await client_for(app)
    try:
        for _ in range(2):  # Telegram's preview fetcher, then the person
            page = await client.get(f"/dashboard/signin?t={token}")
            assert page.status == 200
            assert 'method="post"' in await page.text()
        answer = await client.post("/dashboard/signin", data={"t": token}, allow_redirects=False)
        assert answer.status == 303
        cookie = answer.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie
        overview = await client.get("/dashboard/")
        text = await overview.text()
        assert overview.status == 200
        assert "Signed in as Ashford SM (manager for Ashford)" in text
        assert "Pulse Q3: Ashford" in text
        again = await client.post("/dashboard/signin", data={"t": token})
        assert again.status == 410 and "already been used" in await again.text()
        stale = await client.get(f"/dashboard/signin?t={token}")
        assert stale.status == 410
    finally:
        await client.close()


async def test_an_expired_link_opens_nothing(app: App) -> None:
    role_id = await holder_of(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    token = await ticket(app, role_id, now=time.time() - dashboard.TICKET_SECONDS - 1)
    client = await client_for(app)
    try:
        answer = await client.post("/dashboard/signin", data={"t": token})
        assert answer.status == 410 and "expired" in await answer.text()
        assert (await client.get("/dashboard/")).status == 401
    finally:
        await client.close()


async def test_pages_need_a_session_and_stay_inside_the_role(app: App, tmp_path: Path) -> None:
    anonymous = await client_for(app)
    try:
        page = await anonymous.get("/dashboard/heatmap")
        assert page.status == 401 and "Send /dashboard" in await page.text()
        for name, value in HEADERS.items():
            assert page.headers[name] == value
    finally:
        await anonymous.close()

    client, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    try:
        outside = await client.get("/dashboard/heatmap?unit=S-AREA")
        assert outside.status == 403 and "outside what your role covers" in await outside.text()
        bad = await client.get("/dashboard/?wave=abc")
        assert bad.status == 400 and "wave=&#39;abc&#39;" in await bad.text()
        missing = await client.get("/dashboard/?wave=99")
        assert missing.status == 403

        heat = await client.get("/dashboard/heatmap?wave=1&unit=STN01")
        html = await heat.text()
        assert heat.status == 200
        assert "Ashford Red Watch" in html and "South Area" not in html
        # The station's figures are the CSV report's (the same publication).
        cli = Cli(tmp_path, str(app.settings.database_url))
        out = tmp_path / "stn01.csv"
        made = cli(
            "report", "--survey", "staff_pulse", "--format", "csv", "--out", str(out),
            "--wave", "1", "--unit", "STN01",
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        station = [
            round(float(r["pct_favourable"]))
            for r in rows
            if r["breakdown"] == "station" and r["pct_favourable"]
        ]
        row = re.search(r'<th scope="row" class="depth0">Ashford</th>(.*?)</tr>', html, re.S)
        assert row
        shown = [int(v) for v in re.findall(r"(\d+)%", row.group(1))]
        assert shown == station
    finally:
        await client.close()


async def test_downloads_and_views_are_in_the_access_log(app: App) -> None:
    client, role_id = await signed_in(app, RoleKind.OFFICER, "NFRS", "EDI officer")
    try:
        listing = await client.get("/dashboard/downloads?unit=N-AREA")
        assert "Spreadsheet (XLSX)" in await listing.text()
        pdf = await client.get("/dashboard/download/pdf?wave=2&unit=N-AREA")
        assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF")
        assert 'filename="staff_pulse-wave2-N-AREA.pdf"' in pdf.headers["Content-Disposition"]
        full = await client.get("/dashboard/full?wave=2&unit=N-AREA")
        assert full.status == 200 and "<table>" in await full.text()
        unknown = await client.get("/dashboard/download/exe?wave=2")
        assert unknown.status == 404
        audit = await client.get("/dashboard/audit")
        assert audit.status == 403  # officers do not read the access log
    finally:
        await client.close()
    log = [(r.role_id, r.scope, r.wave_id, r.format) for r in await roles.access_log(app.sessions)]
    assert log == [
        (role_id, "NFRS", 2, "overview"),  # the page after signing in
        (role_id, "N-AREA", 2, "pdf"),
        (role_id, "N-AREA", 2, "full"),
    ]

    admin, _ = await signed_in(app, RoleKind.ADMIN, "NFRS", "IG admin")
    try:
        page = await admin.get("/dashboard/audit")
        assert page.status == 200 and "EDI officer" in await page.text()
    finally:
        await admin.close()


async def test_sign_out_needs_the_form_token_and_revoking_ends_the_session(app: App) -> None:
    client, role_id = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    try:
        forged = await client.post("/dashboard/signout", data={"csrf": "nope"})
        assert forged.status == 403
        assert (await client.get("/dashboard/")).status == 200
        await roles.revoke(app.sessions, role_id, now=time.time(), today=date.today())
        after = await client.get("/dashboard/")
        assert after.status == 401
    finally:
        await client.close()

    client, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM 2")
    try:
        page = await client.get("/dashboard/")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', await page.text())
        assert token
        out = await client.post("/dashboard/signout", data={"csrf": token.group(1)})
        assert out.status == 200
        assert (await client.get("/dashboard/")).status == 401
    finally:
        await client.close()


async def test_the_dashboard_speaks_welsh(app: App) -> None:
    client, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Rheolwr")
    try:
        switched = await client.get("/dashboard/language/cy?next=/dashboard/heatmap")
        assert str(switched.url).endswith("/dashboard/heatmap")
        text = await switched.text()
        assert '<html lang="cy">' in text and "Unedau a chwestiynau" in text
        away = await client.get(
            "/dashboard/language/en?next=https://evil.example/", allow_redirects=False
        )
        assert away.headers["Location"] == "/dashboard/"
    finally:
        await client.close()


ROUTES = (
    "/dashboard/",
    "/dashboard/heatmap",
    "/dashboard/downloads",
    "/dashboard/actions",
    "/dashboard/actions.csv",
)
UNITS = {  # the test organisation: code -> (name, codes at or above it)
    "NFRS": ("Northshire Fire and Rescue Service", {"NFRS"}),
    "N-AREA": ("North Area", {"NFRS", "N-AREA"}),
    "S-AREA": ("South Area", {"NFRS", "S-AREA"}),
    "STN01": ("Ashford", {"NFRS", "N-AREA", "STN01"}),
    "STN01-RED": ("Ashford Red Watch", {"NFRS", "N-AREA", "STN01", "STN01-RED"}),
    "STN01-WHITE": ("Ashford White Watch", {"NFRS", "N-AREA", "STN01", "STN01-WHITE"}),
    "STN02": ("Brookfield (on-call)", {"NFRS", "S-AREA", "STN02"}),
    "CTRL": ("Fire Control", {"NFRS", "CTRL"}),
}


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (RoleKind.MANAGER, "STN01"),
        (RoleKind.MANAGER, "S-AREA"),
        (RoleKind.OFFICER, "N-AREA"),
        (RoleKind.ADMIN, "NFRS"),
        (RoleKind.NETWORK_LEAD, "NFRS"),
    ],
)
async def test_every_route_with_every_role_keeps_to_the_roles_scope(
    app: App, role: RoleKind, unit: str
) -> None:
    client, _ = await signed_in(app, role, unit, f"{role.value} {unit}")
    try:
        for code, (_, above) in UNITS.items():
            inside = unit in above
            for route in (*ROUTES, "/dashboard/download/csv", "/dashboard/full"):
                if route == "/dashboard/full" and inside and code != unit:
                    continue  # the full report is slow to draw: once, for the role's unit
                answer = await client.get(f"{route}?wave=1&unit={code}")
                body = await answer.read()
                if role == RoleKind.NETWORK_LEAD:  # forum consultations only: none released
                    assert answer.status == 404, (route, code)
                    assert b"No results covering" in body
                elif not inside:
                    assert answer.status == 403, (route, code)
                    assert b"outside what your role covers" in body
                else:
                    assert answer.status == 200, (route, code)
                    if route == "/dashboard/heatmap":
                        # Rows for the scope and what is below it, and no other unit.
                        rows = re.findall(
                            r'<th scope="row" class="depth\d+">(.*?)</th>', body.decode()
                        )
                        expected = [n for other, (n, up) in UNITS.items() if code in up]
                        assert sorted(rows) == sorted(html.escape(n) for n in expected)
            # Follow-ups: officers and admins only, inside their unit.
            answer = await client.get(f"/dashboard/followups?wave=1&unit={code}")
            if role in (RoleKind.MANAGER, RoleKind.NETWORK_LEAD) or not inside:
                assert answer.status == 403, code
            else:
                assert answer.status == 200, code
            # Progress: no wave is open here, so there is no count to show anyone (the
            # progress test checks the scope once a wave is open).
            answer = await client.get(f"/dashboard/progress?unit={code}")
            assert answer.status == 200, code
            assert "is open at the moment" in await answer.text()
    finally:
        await client.close()


@pytest.fixture
async def idp() -> AsyncIterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider()
    await provider.start()
    yield provider
    await provider.stop()


@pytest.fixture
async def desk(
    app: App, idp: FakeIdentityProvider, unused_tcp_port: int
) -> AsyncIterator[tuple[str, App]]:
    """The dashboard with sign-in through the test identity provider, on a known port."""
    base = f"http://127.0.0.1:{unused_tcp_port}"
    settings = app.settings.model_copy(
        update={
            "dashboard_url": base,
            "oidc_issuer": idp.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": SecretStr(CLIENT_SECRET),
        }
    )
    with_oidc = App(settings, app.secret, app.engine, app.sessions, app.catalog, app.batching)
    server = TestServer(make_web_app(with_oidc), port=unused_tcp_port)
    await server.start_server()
    yield base, with_oidc
    await server.close()


async def sign_in_at_work(base: str) -> tuple[int, str, ClientSession]:
    browser = ClientSession(cookie_jar=CookieJar(unsafe=True))
    async with browser.get(f"{base}/dashboard/oidc/login") as page:
        return page.status, await page.text(), browser


async def test_desk_staff_sign_in_through_the_identity_provider_by_e_mail(
    desk: tuple[str, App], idp: FakeIdentityProvider
) -> None:
    base, app = desk
    row = await roles.grant_to_email(
        app.sessions, RoleKind.OFFICER, "NFRS", "EDI officer",
        " EDI.Officer@Northshire-Fire.example ", today=date.today(),
    )  # fmt: skip
    async with ClientSession() as anonymous, anonymous.get(f"{base}/dashboard/") as page:
        assert page.status == 401
        assert "Sign in with your organisation account" in await page.text()

    status, text, browser = await sign_in_at_work(base)
    try:
        assert status == 200
        assert "Signed in as EDI officer (officer for Northshire" in text
        await roles.revoke(app.sessions, row.id, now=time.time(), today=date.today())
        async with browser.get(f"{base}/dashboard/") as after:
            assert after.status == 401
    finally:
        await browser.close()


@pytest.mark.parametrize(
    ("trouble", "said"),
    [
        ("nobody", "There is no dashboard role for stranger@example.org"),
        ("forged", "the ID token was not valid (InvalidSignatureError)"),
        ("nonce", "not issued for this sign-in (nonce)"),
    ],
)
async def test_a_sign_in_the_dashboard_cannot_trust_opens_nothing(
    desk: tuple[str, App], idp: FakeIdentityProvider, trouble: str, said: str
) -> None:
    base, app = desk
    await roles.grant_to_email(
        app.sessions, RoleKind.OFFICER, "NFRS", "EDI officer", idp.email, today=date.today()
    )
    if trouble == "nobody":
        idp.email = "stranger@example.org"
    elif trouble == "forged":
        idp.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        idp.nonce_override = "another-sign-in"
    status, text, browser = await sign_in_at_work(base)
    try:
        assert status in (400, 403)
        assert said in html.unescape(text)
        async with browser.get(f"{base}/dashboard/") as page:
            assert page.status == 401
    finally:
        await browser.close()


async def test_an_answer_for_another_sign_in_is_refused(desk: tuple[str, App]) -> None:
    base, _ = desk
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{base}/dashboard/oidc/login", allow_redirects=False) as start:
            assert start.status == 303
        url = f"{base}/dashboard/oidc/callback?code=abc&state=not-mine"
        async with browser.get(url) as page:
            assert page.status == 400
            assert "does not belong to this sign-in (state)" in await page.text()


async def csrf_of(client: TestClient, path: str) -> str:  # type: ignore[type-arg]
    page = await client.get(path)
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', await page.text())
    assert found, path
    return found.group(1)


async def test_managers_keep_their_improvement_register_in_the_dashboard(app: App) -> None:
    client, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    try:
        page = await client.get("/dashboard/actions?wave=2&unit=STN01")
        text = await page.text()
        assert page.status == 200 and "No actions yet." in text
        token = await csrf_of(client, "/dashboard/actions?wave=2&unit=STN01")

        # Without the form token nothing is saved.
        forged = await client.post(
            "/dashboard/actions?wave=2&unit=STN01",
            data={"area": "4", "consideration": "x", "lead": "y"},
        )
        assert forged.status == 403

        # A suggestion from the framework view, or a new action: both land in the register.
        suggestion = re.search(
            r'name="area" value="([^"]+)">\s*<input type="hidden" name="consideration" value="([^"]+)"',
            text,
        )
        form = {"csrf": token, "area": "4", "consideration": "Monthly wellbeing check-ins on every watch",
                "lead": "Ashford SM", "due": "2027-03-31"}  # fmt: skip
        added = await client.post("/dashboard/actions?wave=2&unit=STN01", data=form)
        assert added.status == 200
        if suggestion:
            again = {"csrf": token, "area": html.unescape(suggestion.group(1)),
                     "consideration": html.unescape(suggestion.group(2)), "lead": "Ashford SM"}  # fmt: skip
            assert (
                await client.post("/dashboard/actions?wave=2&unit=STN01", data=again)
            ).status == 200
        bad = await client.post(
            "/dashboard/actions?wave=2&unit=STN01", data={**form, "due": "next spring"}
        )
        assert bad.status == 400 and "is not a date like 2027-03-31" in await bad.text()

        listed = await actions.listed(app.sessions)
        first = next(a.action for a in listed if a.action.consideration.startswith("Monthly"))
        assert (first.unit_code, first.area, str(first.due), first.updated_by) == (
            "STN01", 4, "2027-03-31", "Ashford SM",
        )  # fmt: skip
        done = await client.post(
            f"/dashboard/actions/{first.id}?wave=2&unit=STN01",
            data={"csrf": token, "status": "done", "progress": "Started in January", "due": ""},
        )
        assert done.status == 200 and "Started in January" in await done.text()

        register_csv = await client.get("/dashboard/actions.csv?wave=2&unit=STN01")
        rows = list(csv.DictReader(io.StringIO(await register_csv.text())))
        mine = next(r for r in rows if r["Area for consideration"].startswith("Monthly"))
        assert mine["Area"].startswith("4. Employment conditions")
        assert (mine["Status"], mine["Progress"], mine["When"], mine["Unit"]) == (
            "Done", "Started in January", "2027-03-31", "Ashford",
        )  # fmt: skip
        xlsx = await client.get("/dashboard/actions.xlsx?wave=2&unit=STN01")
        assert (await xlsx.read()).startswith(b"PK")
    finally:
        await client.close()

    # Another station's manager cannot see or change it; a network lead cannot edit.
    other, _ = await signed_in(app, RoleKind.MANAGER, "S-AREA", "South AM")
    try:
        assert "Monthly wellbeing" not in await (await other.get("/dashboard/actions")).text()
        token = await csrf_of(other, "/dashboard/actions")
        refused = await other.post(
            f"/dashboard/actions/{first.id}", data={"csrf": token, "status": "open"}
        )
        assert refused.status == 400 and f"no action {first.id}" in await refused.text()
    finally:
        await other.close()
    assert (await actions.listed(app.sessions, status=Status.DONE))[0].action.id == first.id


async def test_only_officers_approve_follow_ups_and_an_action_done_is_sent_once(
    app: App,
) -> None:
    fields = check_action(
        area="4", consideration="Quiet room at Ashford", unit="STN01", lead="SM", due=None
    )
    added = await actions.add(app.sessions, 2, fields, by="SM", today=date.today())
    await actions.update(
        app.sessions, added.id, by="SM", today=date.today(), units={"STN01"},
        status=Status.DONE, progress="Opened in March", due=None,
    )  # fmt: skip
    other = check_action(
        area="4", consideration="Brookfield rota", unit="STN02", lead="SM", due=None
    )
    elsewhere = await actions.add(app.sessions, 2, other, by="SM", today=date.today())

    manager, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    try:
        assert (await manager.get("/dashboard/followups?wave=2")).status == 403
    finally:
        await manager.close()

    officer, _ = await signed_in(app, RoleKind.OFFICER, "N-AREA", "North EDI")
    try:
        page = await officer.get("/dashboard/followups?wave=2")
        text = await page.text()
        assert page.status == 200
        assert "Quiet room at Ashford" in text and "Done: Opened in March" in text
        assert "Brookfield rota" not in text  # another area's action
        token = await csrf_of(officer, "/dashboard/followups?wave=2")
        forged = await officer.post(
            "/dashboard/followups?wave=2", data={"csrf": token, "action": str(elsewhere.id)}
        )
        assert forged.status == 403
        bad = await officer.post("/dashboard/followups?wave=2", data={"csrf": token, "action": "x"})
        assert bad.status == 400
        sent = await officer.post(
            "/dashboard/followups?wave=2", data={"csrf": token, "action": str(added.id)}
        )
        assert "Approved by North EDI" in await sent.text()
    finally:
        await officer.close()
    stored = await followups.approved(app.sessions, 2)
    assert stored[added.id].unit_code == "STN01"
    assert "Opened in March" in stored[added.id].texts["STN01"]["en"]
    assert "Wedi'i wneud: Opened in March" in stored[added.id].texts["STN01"]["cy"]


async def test_desk_staff_follow_an_open_wave_on_the_progress_page(app: App) -> None:
    client, _ = await signed_in(app, RoleKind.MANAGER, "STN01", "Ashford SM")
    try:
        empty = await client.get("/dashboard/progress")
        assert empty.status == 200 and "No survey covering Ashford is open" in await empty.text()

        wave = await services.open_wave(
            app.sessions, app.catalog.get("staff_pulse"), today=date.today()
        )
        for number in range(10):  # one batch for Ashford's watches
            who = f"{number:064d}"
            async with UnitOfWork(app.sessions) as uow:
                await services.update_person(uow, who, date.today(), consented=True)
                await uow.commit()
            await services.submit_response(
                app.sessions, app.batching, wave_id=wave.id,
                unit_code=("STN01-RED", "STN01-WHITE")[number % 2], pseudonym=who,
                answers={"values_lived": "agree"}, snapshot={}, today=date.today(),
            )  # fmt: skip
        page = await client.get("/dashboard/progress")
        text = await page.text()
        assert page.status == 200
        assert re.search(r'<th scope="row" class="depth0">Ashford</th>\s*<td>10</td>', text)
        assert "Red Watch" not in text  # watches have no count of their own
        elsewhere = await client.get(f"/dashboard/progress?open={wave.id}&unit=STN02")
        assert elsewhere.status == 403
        assert (await client.get("/dashboard/progress?open=x")).status == 400
        assert (await client.get("/dashboard/progress?open=1")).status == 404  # closed
    finally:
        await client.close()
    assert await progress.floors(app.engine, wave.id) == {"STN01": 10}
    log = await roles.access_log(app.sessions)
    assert any(r.format == "progress" and r.scope == "STN01" for r in log)
