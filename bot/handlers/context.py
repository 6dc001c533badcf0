"""Building the per-update Chat from what aiogram injects."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import User

from bot.app import App
from bot.conversation import Chat


def make_chat(app: App, bot: Bot, chat_id: int, user: User | None, state: FSMContext) -> Chat:
    return Chat(
        app=app,
        bot=bot,
        chat_id=chat_id,
        user_id=user.id if user else chat_id,
        fsm=state,
        telegram_language=user.language_code if user else None,
    )
