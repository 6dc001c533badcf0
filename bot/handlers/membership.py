"""A person blocking the bot (or unblocking it) in their private chat.

Telegram tells the bot with a my_chat_member update. Blocking means "no more messages":
the person's contact details and agreement are forgotten at once, as /stop does, so no
invitation or reminder is ever queued for them. Unblocking changes nothing: they agree
again the next time they answer a survey.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import KICKED, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from bot import conversation
from bot.app import App
from bot.handlers.context import make_chat
from bot.state import Tap

router = Router(name="membership")
router.my_chat_member.filter(F.chat.type == "private")


@router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=KICKED))
async def blocked(event: ChatMemberUpdated, tap: Tap, app: App, bot: Bot) -> None:
    await conversation.stop_contact(make_chat(app, bot, event.chat.id, event.from_user, tap))
