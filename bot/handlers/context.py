"""Building the per-update Chat from what aiogram and bot/state.py inject."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import User

from bot.app import App
from bot.conversation import Chat
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
