"""Routers for the Telegram edge."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import buttons, commands, fallback, membership, results


def build_router() -> Router:
    router = Router(name="firevoice")
    # Order matters: results (its command and buttons) and the other commands first, then
    # the survey's buttons, then everything else.
    router.include_router(results.router)
    router.include_router(commands.router)
    router.include_router(buttons.router)
    router.include_router(membership.router)
    router.include_router(fallback.router)
    return router
