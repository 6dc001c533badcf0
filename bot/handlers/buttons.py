"""Inline button presses, routed by the kind in their callback data.

A press counts only if surveys/dialogue.py accepts it (the current step, a kind the
current phase takes); a stale or repeated press gets a short notice and changes nothing,
and data the bot did not make gets another. Every press is answered after the update's
other replies, so after its changes have committed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, F, Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot import conversation as c
from bot.app import App
from bot.chat import Chat
from bot.handlers.context import make_chat
from bot.i18n import t
from bot.keyboards import Btn
from bot.state import Tap
from surveys.dialogue import Press, accepts

router = Router(name="buttons")


class Unpacked(BaseMiddleware):
    """Read a press's callback data once, for every handler's filters: `callback_data` is
    the Btn, or None for data the bot did not make. (A callback-data filter on each
    handler read it again for every handler tried, a fifth of a tap's time.)"""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        raw = event.data if isinstance(event, CallbackQuery) else None
        try:
            data["callback_data"] = Btn.unpack(raw) if raw else None
        except (TypeError, ValueError):
            data["callback_data"] = None
        return await handler(event, data)


router.callback_query.outer_middleware(Unpacked())


class Kind(Filter):
    """Passes a press of the bot's own making, of one of these kinds."""

    def __init__(self, *kinds: Press):
        self.kinds = frozenset(k.value for k in kinds)

    async def __call__(self, query: CallbackQuery, callback_data: Btn | None) -> bool:
        return callback_data is not None and callback_data.kind in self.kinds


class Current(Filter):
    """Passes a press the conversation accepts now, and gives the handler its Chat."""

    async def __call__(
        self, query: CallbackQuery, callback_data: Btn, app: App, bot: Bot, tap: Tap
    ) -> bool | dict[str, Any]:
        message = query.message if isinstance(query.message, Message) else None
        chat_id = message.chat.id if message else query.from_user.id
        chat = make_chat(app, bot, chat_id, query.from_user, tap)
        if not accepts(await chat.data(), callback_data.kind, callback_data.step):
            return False
        return {"chat": chat, "message_id": message.message_id if message else None}


PRIVATE = F.message.chat.type == "private"


def pressed(*kinds: Press) -> tuple[Kind, Any, Current]:
    # Cheapest first: a handler's filters stop at the first that fails.
    return Kind(*kinds), PRIVATE, Current()


def answer(tap: Tap, query: CallbackQuery, notice: str | None = None) -> None:
    """Answer the press after the update's other replies (and so after its commit)."""

    async def call() -> None:
        await query.answer(notice)

    tap.reply(call)


@router.callback_query(*pressed(Press.CONSENT))
async def consent(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    await c.on_consent(chat, callback_data.value == "yes", message_id)
    answer(tap, query)


@router.callback_query(*pressed(Press.CONTACT))
async def contact(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    await c.on_contact(chat, callback_data.value == "yes", message_id)
    answer(tap, query)


@router.callback_query(*pressed(Press.MONITORING))
async def monitoring(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    await c.on_monitoring_offer(chat, callback_data.value == "yes", message_id)
    answer(tap, query)


@router.callback_query(*pressed(Press.WAVE))
async def wave(query: CallbackQuery, callback_data: Btn, chat: Chat, tap: Tap) -> None:
    await c.choose_wave(chat, callback_data.value)
    answer(tap, query)


@router.callback_query(*pressed(Press.UNIT_OPEN, Press.UNIT_PICK, Press.UNIT_PAGE))
async def unit(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    await c.on_unit_button(chat, callback_data.kind, callback_data.value, message_id)
    answer(tap, query)


@router.callback_query(*pressed(Press.ERASE))
async def erase(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    await c.on_erase(chat, callback_data.value == "yes", message_id)
    answer(tap, query)


@router.callback_query(*pressed(Press.PROFILE))
async def profile(query: CallbackQuery, callback_data: Btn, chat: Chat, tap: Tap) -> None:
    await c.on_profile_button(chat, callback_data.value)
    answer(tap, query)


@router.callback_query(*pressed(Press.LANGUAGE))
async def language(query: CallbackQuery, callback_data: Btn, chat: Chat, tap: Tap) -> None:
    await c.on_language(chat, callback_data.value)
    answer(tap, query)


@router.callback_query(*pressed(Press.INVITE))
async def invitation(query: CallbackQuery, callback_data: Btn, chat: Chat, tap: Tap) -> None:
    await c.on_invite(chat, callback_data.value)
    answer(tap, query)


@router.callback_query(*pressed(Press.STOP))
async def stop(query: CallbackQuery, chat: Chat, tap: Tap) -> None:
    await c.stop_messages(chat)
    answer(tap, query)


@router.callback_query(*pressed(Press.ANSWER))
async def answer_option(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    answer(tap, query, await c.on_answer_button(chat, callback_data.value, message_id))


@router.callback_query(*pressed(Press.TOGGLE))
async def toggle(
    query: CallbackQuery, callback_data: Btn, chat: Chat, message_id: int | None, tap: Tap
) -> None:
    answer(tap, query, await c.on_toggle(chat, callback_data.value, message_id))


@router.callback_query(*pressed(Press.DONE))
async def done(query: CallbackQuery, chat: Chat, message_id: int | None, tap: Tap) -> None:
    answer(tap, query, await c.on_done(chat, message_id))


@router.callback_query(*pressed(Press.SKIP))
async def skip(query: CallbackQuery, chat: Chat, message_id: int | None, tap: Tap) -> None:
    answer(tap, query, await c.on_skip(chat, message_id))


@router.callback_query(*pressed(Press.BACK))
async def back(query: CallbackQuery, chat: Chat, message_id: int | None, tap: Tap) -> None:
    answer(tap, query, await c.on_back(chat, message_id))


@router.callback_query(*pressed(Press.RESULTS))
async def results_welcome(query: CallbackQuery, callback_data: Btn, chat: Chat, tap: Tap) -> None:
    await c.on_results_welcome(chat, callback_data.value == "yes")
    answer(tap, query)


@router.callback_query(Kind(*Press), PRIVATE)
async def stale(query: CallbackQuery, app: App, bot: Bot, tap: Tap) -> None:
    """One of our buttons, but not for the conversation as it stands now."""
    chat = make_chat(app, bot, query.from_user.id, query.from_user, tap)
    answer(tap, query, t("stale_button", await chat.language()))


@router.callback_query()
async def foreign_button(query: CallbackQuery, app: App, bot: Bot, tap: Tap) -> None:
    """Callback data we did not make (forged, or from an older version of the bot)."""
    chat = make_chat(app, bot, query.from_user.id, query.from_user, tap)
    answer(tap, query, t("invalid_button", await chat.language()))
