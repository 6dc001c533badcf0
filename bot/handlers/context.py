"""Building the per-update Chat from what aiogram and bot/state.py inject."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import Update, User

from bot.app import App
from bot.chat import Chat
from bot.conversation import show_again
from bot.state import Conversation, PseudonymousKeyBuilder, Tap
from surveys.sealing import conversation_key


def make_chat(app: App, bot: Bot, chat_id: int, user: User | None, tap: Tap) -> Chat:
    user_id = user.id if user else chat_id
    conversation = Conversation(
        tap.uow,
        PseudonymousKeyBuilder(app.secret).row(chat_id, user_id),
        conversation_key(app.secret, "telegram", user_id),
    )
    return Chat(
        app=app,
        bot=bot,
        chat_id=chat_id,
        user_id=user_id,
        tap=tap,
        conversation=conversation,
        telegram_language=user.language_code if user else None,
    )


async def redelivered(update: Update, data: dict[str, Any]) -> None:
    """An update already handled came again: answer a press, show the current question."""
    app: App = data["app"]
    bot: Bot = data["bot"]
    tap: Tap = data["tap"]
    query = update.callback_query
    if query is not None:

        async def answer() -> None:
            await query.answer()

        tap.reply(answer)
    message = update.message or (query.message if query is not None else None)
    user = update.message.from_user if update.message else (query.from_user if query else None)
    if message is None or user is None or message.chat.type != "private":
        return
    await show_again(make_chat(app, bot, message.chat.id, user, tap))
