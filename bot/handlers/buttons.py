"""Inline button presses. Stale and forged presses get a notice and change nothing."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot import conversation as c
from bot.app import App
from bot.handlers.context import make_chat
from bot.i18n import t
from bot.keyboards import Btn
from bot.state import Tap

router = Router(name="buttons")

ASKING = (c.SURVEY, c.MONITORING, c.PROFILE_MONITORING)
# Which phase each kind of button belongs to; None means any phase.
PHASES: dict[str, tuple[str, ...] | None] = {
    "consent": (c.CONSENT,),
    "contact": (c.CONTACT,),
    "mon": (c.MONITORING_OFFER,),
    "wave": (c.CHOOSE_WAVE,),
    "uopen": (c.UNIT,),
    "upick": (c.UNIT,),
    "upage": (c.UNIT,),
    "ans": ASKING,
    "tog": ASKING,
    "done": ASKING,
    "skip": ASKING,
    "back": ASKING,
    "erase": (c.ERASE,),
    "prof": (c.PROFILE,),
    "lang": None,
}


@router.callback_query(Btn.filter(), F.message.chat.type == "private")
async def pressed(query: CallbackQuery, callback_data: Btn, tap: Tap, app: App, bot: Bot) -> None:
    message = query.message if isinstance(query.message, Message) else None
    chat_id = message.chat.id if message else query.from_user.id
    chat = make_chat(app, bot, chat_id, query.from_user, tap)
    data = await chat.data()
    language = await chat.language()
    kind, value = callback_data.kind, callback_data.value
    allowed = PHASES.get(kind, ())
    if (
        callback_data.step != data.get("step")
        or allowed == ()
        or (allowed is not None and data.get("phase") not in allowed)
    ):
        answer(tap, query, t("stale_button", language))
        return
    message_id = message.message_id if message else None
    notice: str | None = None
    if kind == "consent":
        await c.on_consent(chat, value == "yes", message_id)
    elif kind == "contact":
        await c.on_contact(chat, value == "yes", message_id)
    elif kind == "mon":
        await c.on_monitoring_offer(chat, value == "yes", message_id)
    elif kind == "wave":
        await c.choose_wave(chat, value)
    elif kind in ("uopen", "upick", "upage"):
        await c.on_unit_button(chat, kind, value, message_id)
    elif kind == "erase":
        await c.on_erase(chat, value == "yes", message_id)
    elif kind == "prof":
        await c.on_profile_button(chat, value)
    elif kind == "lang":
        await c.on_language(chat, value)
    elif kind == "ans":
        notice = await c.on_answer_button(chat, value, message_id)
    elif kind == "tog":
        notice = await c.on_toggle(chat, value, message_id)
    elif kind == "done":
        notice = await c.on_done(chat, message_id)
    elif kind == "skip":
        notice = await c.on_skip(chat, message_id)
    elif kind == "back":
        notice = await c.on_back(chat, message_id)
    answer(tap, query, notice)


def answer(tap: Tap, query: CallbackQuery, notice: str | None = None) -> None:
    """Answer the press after the update's other replies (and so after its commit)."""

    async def call() -> None:
        await query.answer(notice)

    tap.reply(call)


@router.callback_query()
async def foreign_button(query: CallbackQuery, tap: Tap, app: App, bot: Bot) -> None:
    """Callback data we did not make (forged, or from an older version of the bot)."""
    chat = make_chat(app, bot, query.from_user.id, query.from_user, tap)
    answer(tap, query, t("invalid_button", await chat.language()))
