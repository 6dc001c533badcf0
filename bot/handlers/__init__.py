"""Routers for the Telegram edge."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import buttons, commands, fallback, membership


def build_router() -> Router:
    router = Router(name="firevoice")
    # Order matters: commands first, then buttons, then everything else.
    router.include_router(commands.router)
    router.include_router(buttons.router)
    router.include_router(membership.router)
    router.include_router(fallback.router)
    return router
