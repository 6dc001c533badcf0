"""Roles and the access log in the database (storage/roles.py), and `firevoice role` and
`firevoice audit` as an administrator runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import roles, services
from storage.models import RoleGrant
from storage.uow import UnitOfWork
from surveys.access import Grant, RoleKind
from surveys.links import RoleTicket
from tests.conftest import ORG_CSV
from tests.integration.test_cli import Cli

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2026, 11, 27)
NOW = 1_800_000_000.0


async def invited(sessions: Sessions, hours: int = 24) -> roles.Invitation:
    await services.import_org(sessions, ORG_CSV)
    return await roles.invite(
        sessions, RoleKind.MANAGER, "STN01", "Ashford SM", hours=hours, now=NOW, today=TODAY
    )


async def bind(sessions: Sessions, ticket: RoleTicket, who: str, now: float = NOW) -> roles.Bound:
    async with UnitOfWork(sessions) as uow:
        outcome, _ = await roles.bind(uow, ticket, who, "sealed", now=now, today=TODAY)
        await uow.commit()
        return outcome


async def test_an_invitation_binds_once_to_whoever_opens_it_first(sessions: Sessions) -> None:
    invitation = await invited(sessions)
    assert await bind(sessions, invitation.ticket, "a" * 64) == roles.Bound.BOUND
    assert await bind(sessions, invitation.ticket, "b" * 64) == roles.Bound.USED
    async with UnitOfWork(sessions) as uow:
        assert await roles.grants_of(uow, "a" * 64) == [
            Grant(invitation.role.id, RoleKind.MANAGER, "STN01", "Ashford SM")
        ]
        assert await roles.grants_of(uow, "b" * 64) == []
        row = await uow.session.scalar(select(RoleGrant))
        assert row is not None and row.ticket is None and row.bound_on == TODAY


async def test_expired_forged_and_revoked_invitations_are_refused(sessions: Sessions) -> None:
    invitation = await invited(sessions, hours=2)
    later = NOW + 2 * 3600 + 1
    assert await bind(sessions, invitation.ticket, "a" * 64, now=later) == roles.Bound.EXPIRED
    wrong = RoleTicket(invitation.ticket.role_id, "x" * 11)
    assert await bind(sessions, wrong, "a" * 64) == roles.Bound.UNKNOWN
    assert await bind(sessions, RoleTicket(999, "x" * 11), "a" * 64) == roles.Bound.UNKNOWN
    await roles.revoke(sessions, invitation.role.id, now=NOW, today=TODAY)
    assert await bind(sessions, invitation.ticket, "a" * 64) == roles.Bound.REVOKED
    with pytest.raises(services.ServiceError, match="already revoked"):
        await roles.revoke(sessions, invitation.role.id, now=NOW, today=TODAY)
    with pytest.raises(services.ServiceError, match="no role with id 999"):
        await roles.revoke(sessions, 999, now=NOW, today=TODAY)


async def test_revoking_ends_the_role_and_queues_the_menu_reset(sessions: Sessions) -> None:
    invitation = await invited(sessions)
    await bind(sessions, invitation.ticket, "a" * 64)
    assert await roles.menus_to_clear(sessions) == []
    await roles.revoke(sessions, invitation.role.id, now=NOW, today=TODAY)
    async with UnitOfWork(sessions) as uow:
        assert await roles.grants_of(uow, "a" * 64) == []
    pending = await roles.menus_to_clear(sessions)
    assert [r.id for r in pending] == [invitation.role.id]
    await roles.menu_cleared(sessions, [invitation.role.id])
    assert await roles.menus_to_clear(sessions) == []
    [info] = await roles.list_roles(sessions, now=NOW)
    assert info.status == "revoked"


async def test_an_unknown_unit_cannot_be_given_a_role(sessions: Sessions) -> None:
    await services.import_org(sessions, ORG_CSV)
    with pytest.raises(services.ServiceError, match="unknown unit code 'NOPE'"):
        await roles.invite(sessions, RoleKind.OFFICER, "NOPE", "x", hours=1, now=NOW, today=TODAY)


async def test_the_access_log_is_kept_for_its_time_then_purged(sessions: Sessions) -> None:
    invitation = await invited(sessions)
    grant = roles.grant_of(invitation.role)
    async with UnitOfWork(sessions) as uow:
        for day in (TODAY - timedelta(days=40), TODAY):
            roles.record(
                uow, grant, survey_key="staff_pulse", wave_id=1, scope="STN01", fmt="pdf", day=day
            )
        await uow.commit()
    assert len(await roles.access_log(sessions)) == 2
    assert len(await roles.access_log(sessions, since=TODAY)) == 1
    assert await roles.purge_access_log(sessions, today=TODAY, keep_days=30) == 1
    [left] = await roles.access_log(sessions)
    assert (left.day, left.label, left.scope, left.format) == (TODAY, "Ashford SM", "STN01", "pdf")


def test_role_commands_say_what_is_wrong(tmp_path: Path, database_url: str) -> None:
    cli = Cli(tmp_path, database_url)
    assert cli("org", "import", cli.write("org.csv", ORG_CSV)).returncode == 0
    base = ("role", "invite", "--unit", "STN01", "--label", "Ashford SM", "--bot", "fv_test_bot")
    bad_role = cli(*base, "--role", "chief")
    assert bad_role.returncode == 2 and "'chief' is not a role" in bad_role.stderr
    bad_expiry = cli(*base, "--role", "manager", "--expires", "3 weeks")
    assert bad_expiry.returncode == 2 and "not a time like 7d" in bad_expiry.stderr
    no_unit = cli(*base[:3], "NOPE", *base[4:], "--role", "manager")
    assert no_unit.returncode == 1 and "unknown unit code 'NOPE'" in no_unit.stderr
    no_bot = cli(*base[:-2], "--role", "manager")
    assert no_bot.returncode == 1 and "FIREVOICE_BOT_USERNAME" in no_bot.stderr
    assert "Traceback" not in bad_role.stderr + bad_expiry.stderr + no_unit.stderr

    made = cli(*base, "--role", "manager", "--qr", str(tmp_path / "invite.png"))
    assert made.returncode == 0, made.stderr
    assert re.search(r"https://t\.me/fv_test_bot\?start=[A-Za-z0-9_-]+", made.stdout)
    assert (tmp_path / "invite.png").read_bytes().startswith(b"\x89PNG")
    listed = cli("role", "list")
    assert re.search(r"1\s+manager\s+STN01\s+invited", listed.stdout)
    assert cli("role", "revoke", "1").returncode == 0
    again = cli("role", "revoke", "1")
    assert again.returncode == 1 and "already revoked" in again.stderr
    bad_email = cli(*base[:-2], "--role", "officer", "--email", "not-an-address")
    assert (
        bad_email.returncode == 2
        and "'not-an-address' is not an e-mail address" in bad_email.stderr
    )
    by_email = cli(*base[:-2], "--role", "officer", "--email", "Desk@Fire.example")
    assert by_email.returncode == 0, by_email.stderr
    assert "granted to desk@fire.example" in by_email.stdout
    assert "FIREVOICE_OIDC_ISSUER is not set" in by_email.stderr
    assert re.search(
        r"2\s+officer\s+STN01\s+active.*<desk@fire\.example>", cli("role", "list").stdout
    )
    assert cli("audit").stdout.strip() == "no views or downloads recorded"
    assert cli("audit", "--days", "0").returncode == 2


def test_the_improvement_register_from_the_command_line(tmp_path: Path) -> None:
    from tests.integration.test_reports import seed

    url = f"sqlite+aiosqlite:///{tmp_path / 'register.db'}"
    cli = Cli(tmp_path, url)
    import asyncio

    from storage import migrate

    migrate.upgrade(url)
    asyncio.run(seed(url, per_survey=60, small_watch=False, org_csv=ORG_CSV))
    base = ("actions", "add", "--unit", "STN01", "--area", "4", "--lead", "Ashford SM")
    early = cli(*base, "--wave", "1", "--consideration", "Wellbeing check-ins")
    assert early.returncode == 1 and "have not been released" in early.stderr
    assert cli("wave", "release", "1").returncode == 0
    bad_area = cli(*base[:4], "--area", "9", *base[6:], "--wave", "1", "--consideration", "x")
    assert bad_area.returncode == 2 and "not an FRS Equality Framework area" in bad_area.stderr
    nowhere = cli(*base[:2], "--unit", "NOPE", *base[4:], "--wave", "1", "--consideration", "x")
    assert nowhere.returncode == 1 and "was not in wave 1's organisation" in nowhere.stderr
    added = cli(
        *base, "--wave", "1", "--consideration", "Wellbeing check-ins", "--due", "2027-03-31"
    )
    assert added.returncode == 0 and "action 1 added for STN01" in added.stdout
    assert cli("actions", "update", "1").returncode == 2  # nothing to change
    assert cli("actions", "update", "1", "--status", "finished").returncode == 2
    updated = cli(
        "actions", "update", "1", "--status", "in progress", "--progress", "Two watches so far"
    )
    assert updated.returncode == 0 and "in_progress" in updated.stdout
    listed = cli("actions", "list")
    assert "Wellbeing check-ins" in listed.stdout and "Two watches so far" in listed.stdout
    out = tmp_path / "register.csv"
    assert cli("actions", "export", "--format", "csv", "--out", str(out)).returncode == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text())))
    assert row["Status"] == "In progress" and row["Lead"] == "Ashford SM"
    assert row["Area"].startswith("4. ") and row["When"] == "2027-03-31"


async def test_the_next_report_shows_what_was_done_as_it_stood_at_release(
    tmp_path: Path,
) -> None:
    from analysis import synthetic, views
    from analysis.document import build
    from analysis.release import release
    from analysis.render_html import render
    from storage import actions, bulk
    from surveys.actions import Status, check
    from tests.e2e.conftest import new_service

    svc = await new_service(f"sqlite+aiosqlite:///{tmp_path / 'next.db'}", tmp_path)
    survey = svc.catalog.get("staff_pulse")
    waves = []
    try:
        for index, day in enumerate((date(2026, 3, 2), date(2026, 6, 1))):
            wave = await services.open_wave(
                svc.sessions, survey, today=day, label=f"Pulse {day:%B}"
            )
            generated = synthetic.generate(survey, 150, seed=3, wave_index=index, org_csv=ORG_CSV)
            await bulk.insert_responses(
                svc.engine, wave.id, survey, list(synthetic.rows(generated)), day
            )
            await services.close_wave(svc.sessions, svc.batching, wave.id, today=day)
            if index == 0:
                await release(svc.sessions, svc.engine, wave.id, monitoring=None, today=day)
                fields = check(
                    area=4, consideration="Wellbeing check-ins on every watch", unit="STN01",
                    lead="Ashford SM", due="2026-05-31", item="wellbeing_support",
                )  # fmt: skip
                action = await actions.add(svc.sessions, wave.id, fields, by="test", today=day)
                await actions.update(
                    svc.sessions, action.id, by="test", today=day,
                    status=Status.IN_PROGRESS, progress="Two watches so far",
                )  # fmt: skip
            waves.append(wave.id)
        second, _ = await release(
            svc.sessions, svc.engine, waves[1], monitoring=None, today=date(2026, 6, 20)
        )
        html = render(views.tables(second, scope="N-AREA", today=date(2026, 6, 20)))
        assert "You said, we did" in html
        assert "against the results of Pulse March" in html
        assert "Wellbeing check-ins on every watch" in html and "Two watches so far" in html
        # Not in another area's view.
        other = build(views.tables(second, scope="S-AREA", today=date(2026, 6, 20)))
        assert not any(getattr(b, "text", "") == "You said, we did" for b in other)
        # Frozen: changing the action afterwards changes nothing in wave 2's publication.
        await actions.update(
            svc.sessions, action.id, by="test", today=date(2026, 7, 1), status=Status.DONE
        )
        again, released_now = await release(
            svc.sessions, svc.engine, waves[1], monitoring=None, today=date(2026, 7, 1)
        )
        assert not released_now and again.digest == second.digest
        assert again.actions[0].status == "in_progress"
    finally:
        await svc.close()
