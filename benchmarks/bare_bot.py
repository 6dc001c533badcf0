"""The floor for benchmarks/bot.py: an aiogram 3 bot that stores nothing.

Per tap it makes the same Bot API calls as firevoice (answer the press, edit the
question, send the next one with five buttons), keeping its place in the button data.

    python benchmarks/bare_bot.py API_URL TOKEN
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

QUESTIONS = 12
dispatcher = Dispatcher()


def question(n: int) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [InlineKeyboardButton(text=f"Option {i}", callback_data=f"a:{n}:{i}")] for i in range(5)
    ]
    text = f"Question {n} of {QUESTIONS}\n\nHow do you feel about question {n}?"
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


@dispatcher.message(CommandStart())
async def start(message: Message) -> None:
    text, keyboard = question(1)
    await message.answer(text, reply_markup=keyboard)


@dispatcher.callback_query(F.data.startswith("a:"))
async def pressed(query: CallbackQuery) -> None:
    _, number, option = str(query.data).split(":")
    n = int(number)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(f"Question {n}: option {option}", reply_markup=None)
        if n == QUESTIONS:
            await query.message.answer("Thank you.")
        else:
            text, keyboard = question(n + 1)
            await query.message.answer(text, reply_markup=keyboard)


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(sys.argv[1]))
    bot = Bot(token=sys.argv[2], session=session)
    await dispatcher.start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
