"""Slash commands in a private chat."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot import conversation, results
from bot.app import App
from bot.handlers.context import make_chat
from bot.i18n import t
from bot.state import Tap
from surveys.links import LinkError, RoleTicket, read_payload

router = Router(name="commands")
router.message.filter(F.chat.type == "private")


@router.message(CommandStart(deep_link=True))
async def start_with_link(
    message: Message, command: CommandObject, tap: Tap, app: App, bot: Bot
) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    try:
        target = read_payload(app.secret, command.args or "")
    except LinkError:
        await chat.send(t("invalid_link", await chat.language()))
        return
    if isinstance(target, RoleTicket):
        await results.bind(chat, target)
        return
    await conversation.start(chat, target)


@router.message(CommandStart())
async def start(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.start(make_chat(app, bot, message.chat.id, message.from_user, tap), None)


@router.message(Command("privacy"))
async def privacy(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    data = await chat.data()
    await chat.send(conversation.privacy_notice(chat, data, await chat.language()))


@router.message(Command("help"))
async def help_(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    await chat.send(t("help", await chat.language()))


@router.message(Command("cancel"))
async def cancel(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.cancel(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("profile"))
async def profile(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.show_profile(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("delete_my_data"))
async def delete_my_data(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.ask_erase(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("stop"))
async def stop(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.stop_messages(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(Command("language"))
async def language(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.ask_language(make_chat(app, bot, message.chat.id, message.from_user, tap))


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    await chat.send(t("unknown_command", await chat.language()))
