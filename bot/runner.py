"""Starting the Telegram bot: migrations have run; build Bot and Dispatcher and poll."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BotCommand

from bot.app import App
from bot.handlers import build_router

log = logging.getLogger("firevoice")

COMMANDS = [
    BotCommand(command="start", description="Start or continue a survey"),
    BotCommand(command="privacy", description="How your answers are protected"),
    BotCommand(command="help", description="What this bot does"),
]


def make_bot(app: App) -> Bot:
    if app.settings.bot_token is None:
        raise RuntimeError("no bot token")
    session = AiohttpSession(api=TelegramAPIServer.from_base(app.settings.telegram_api_url))
    return Bot(token=app.settings.bot_token.get_secret_value(), session=session)


def make_dispatcher(app: App) -> Dispatcher:
    dispatcher = Dispatcher(app=app)
    dispatcher.include_router(build_router())
    return dispatcher


async def run_bot(app: App) -> None:
    logging.basicConfig(
        level=app.settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    bot = make_bot(app)
    dispatcher = make_dispatcher(app)
    backend = "SQLite" if app.settings.is_sqlite else "PostgreSQL"
    log.info(
        "starting in long-polling mode against %s, database %s",
        app.settings.telegram_api_url,
        backend,
    )
    try:
        await bot.set_my_commands(COMMANDS)
        await dispatcher.start_polling(bot)
    finally:
        await bot.session.close()
        await app.close()
