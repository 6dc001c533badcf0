"""A first run with no bot token: the dashboard alone, so a new user sees the product.

`firevoice run` (and so `./dev run`) without FIREVOICE_BOT_TOKEN, outside production:
on an empty database it offers to load the synthetic demo service (bot/demo.py); it
makes a terminal administrator's role over the organisation's top unit (held by this
terminal, not by any Telegram account), prints a one-time sign-in link to the dashboard,
says how to add the bot, and serves the dashboard until stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date

from bot import demo
from bot.app import App
from storage import dashboard, roles
from storage.uow import UnitOfWork
from surveys.access import RoleKind
from surveys.pseudonym import role_holder

log = logging.getLogger("firevoice.first_run")

LABEL = "Administrator (terminal)"
DEMO_WAVES = 2
DEMO_PER_WAVE = 450


def terminal_holder(app: App) -> str:
    """The holder of the terminal's role: not a Telegram account, so no chat can use it."""
    return role_holder(app.secret, "terminal", "first-run")


async def is_empty(app: App) -> bool:
    async with UnitOfWork(app.sessions) as uow:
        return not await uow.units.all() and not await uow.waves.all()


async def load_demo(app: App, echo: Callable[[str], None], *, today: date) -> None:
    echo("Loading the synthetic demo service (made-up data, marked synthetic everywhere)…")
    waves = await demo.load(app, per_wave=DEMO_PER_WAVE, waves=DEMO_WAVES, today=today)
    echo(f"Releasing {len(waves)} waves of results (the disclosure audit takes a minute)…")
    await demo.release_all(app, waves, today=today)


async def sign_in_link(app: App, base_url: str, *, today: date) -> str | None:
    """A one-time dashboard sign-in link for the terminal's administrator role (made on
    the first call, over the organisation's top unit), or None with no organisation."""
    holder = terminal_holder(app)
    async with UnitOfWork(app.sessions) as uow:
        held = await roles.grants_of(uow, holder)
        tops = [u.code for u in await uow.units.all() if u.parent_id is None]
    if held:
        role_id = held[0].id
    elif not tops:
        return None
    else:
        invitation = await roles.invite(
            app.sessions, RoleKind.ADMIN, tops[0], LABEL, hours=1, now=time.time(), today=today
        )
        async with UnitOfWork(app.sessions) as uow:
            await roles.bind(uow, invitation.ticket, holder, "", now=time.time(), today=today)
            await uow.commit()
        role_id = invitation.role.id
    async with UnitOfWork(app.sessions) as uow:
        token = await dashboard.issue_ticket(uow, role_id, now=time.time())
        await uow.commit()
    return f"{base_url}/dashboard/signin?t={token}"


HOW_TO_ADD_THE_BOT = (
    "To add the Telegram bot: open https://t.me/BotFather, send /newbot and follow the "
    "steps, then set FIREVOICE_BOT_TOKEN (in the environment or a .env file) and "
    "FIREVOICE_BOT_USERNAME, and run again: the bot and the dashboard then run together."
)
