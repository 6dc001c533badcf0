"""/results, /progress and their buttons, and /dashboard (bot/results.py and
bot/progress.py do the work)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot import progress, results
from bot.app import App
from bot.handlers.context import make_chat
from bot.state import Tap

router = Router(name="results")
router.message.filter(F.chat.type == "private")


@router.message(Command("results"))
async def results_command(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await results.command(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("progress"))
async def progress_command(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await progress.command(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("dashboard"))
async def dashboard_command(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await results.dashboard_link(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.callback_query(results.Res.filter(), F.message.chat.type == "private")
async def results_button(
    query: CallbackQuery, callback_data: results.Res, tap: Tap, app: App, bot: Bot
) -> None:
    await results.press(
        make_chat(app, bot, query.from_user.id, query.from_user, tap), callback_data
    )

    async def answer() -> None:
        await query.answer()

    tap.reply(answer)


@router.callback_query(progress.Prog.filter(), F.message.chat.type == "private")
async def progress_button(
    query: CallbackQuery, callback_data: progress.Prog, tap: Tap, app: App, bot: Bot
) -> None:
    await progress.press(
        make_chat(app, bot, query.from_user.id, query.from_user, tap), callback_data
    )

    async def answer() -> None:
        await query.answer()

    tap.reply(answer)
