"""Typed answers and everything unexpected: stickers, photos, voice, groups."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot import conversation
from bot.app import App
from bot.handlers.context import make_chat
from bot.i18n import t
from bot.state import Tap

router = Router(name="fallback")
router.message.filter(F.chat.type == "private")


@router.message(F.text)
async def text(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    await conversation.on_text(chat, message.text or "")


@router.message()
async def anything_else(message: Message, tap: Tap, app: App, bot: Bot) -> None:
    chat = make_chat(app, bot, message.chat.id, message.from_user, tap)
    await chat.send(t("only_text", await chat.language()))
