"""/start (with or without a deep-link payload), /privacy and /help."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.app import App
from bot.texts import HELP, PRIVACY_NOTICE
from surveys.links import LinkError, read_payload
from surveys.text import localise

router = Router(name="start")
router.message.filter(F.chat.type == "private")


@router.message(CommandStart(deep_link=True))
async def start_with_link(message: Message, command: CommandObject, app: App) -> None:
    try:
        target = read_payload(app.secret, command.args or "")
    except LinkError:
        await message.answer(
            "Sorry, this survey link is not valid. It may have been copied incompletely or "
            "changed. Please scan the QR code or open the link you were given again."
        )
        return
    if target.survey_key not in app.catalog:
        await message.answer("Sorry, this survey is no longer available.")
        return
    survey = app.catalog.get(target.survey_key)
    language = message.from_user.language_code if message.from_user else None
    await message.answer(f"{localise(survey.title, language)}\n\n{PRIVACY_NOTICE}")


@router.message(CommandStart())
async def start(message: Message) -> None:
    await message.answer(HELP)


@router.message(Command("privacy"))
async def privacy(message: Message) -> None:
    await message.answer(PRIVACY_NOTICE)


@router.message(Command("help"))
async def help_(message: Message) -> None:
    await message.answer(HELP)
