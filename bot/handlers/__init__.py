"""Routers for the Telegram edge."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import start


def build_router() -> Router:
    router = Router(name="firevoice")
    router.include_router(start.router)
    return router
