"""Sending the outbox (storage/outbox.py): invitations, at a pace Telegram accepts.

One sender runs in the bot (worker 0 when there are several). It takes one message at a
time from the database, so a stop or a crash leaves the rest queued, and sends at most
FIREVOICE_OUTBOX_PER_SECOND messages a second (Telegram's limit for bulk messages is about
30 a second; the rest of the budget is left for replies to people answering surveys).
Each person gets one message per wave, so Telegram's one-message-a-second-per-chat limit is
met by construction; when Telegram still asks one chat to wait (429 retry_after), that
message is put back for later and the others go on.

Before sending, the sender checks that the wave is still open and that the person still
wants messages and has not answered meanwhile; if not, the message is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup
from aiolimiter import AsyncLimiter

from bot.app import App
from bot.i18n import pick_language, t
from bot.keyboards import button, rows
from storage import outbox, services
from storage.rows import wave_survey
from storage.uow import UnitOfWork
from surveys.dialogue import Press
from surveys.pseudonym import pseudonym
from surveys.sealing import contact_key
from surveys.text import localise

log = logging.getLogger("firevoice.outbox")

IDLE_SECONDS = 1.0


class Sender:
    def __init__(self, app: App, bot: Bot):
        self.app = app
        self.bot = bot
        self.key = contact_key(app.secret)
        self.limiter = AsyncLimiter(app.settings.outbox_per_second, 1)

    async def run(self) -> None:
        abandoned = await outbox.abandon_unfinished(self.app.sessions, today=date.today())
        if abandoned:
            log.warning(
                "%s message(s) were being sent when the bot last stopped; they are not sent "
                "again (each person gets a message at most once)",
                abandoned,
            )
        while True:
            try:
                message = await outbox.take_next(self.app.sessions, self.key, time.time())
            except Exception as exc:  # the database may be away for a moment; try again
                log.error("the outbox could not be read (%s)", type(exc).__name__)
                message = None
            if message is None:
                await asyncio.sleep(IDLE_SECONDS)
                continue
            async with self.limiter:
                await self.send(message)

    async def send(self, message: outbox.Outgoing) -> None:
        sessions, today = self.app.sessions, date.today()
        composed = await self.compose(message)
        if composed is None:
            await outbox.finish(sessions, message.id, "failed", today=today)
            return
        text, keyboard = composed
        try:
            await self.bot.send_message(message.chat_id, text, reply_markup=keyboard)
        except TelegramRetryAfter as exc:
            await outbox.later(sessions, message.id, time.time() + exc.retry_after)
            return
        except TelegramForbiddenError:
            # Blocked: never again (the person's contact is marked inactive).
            who = pseudonym(self.app.secret, "telegram", message.chat_id)
            await services.mark_contact_blocked(sessions, who)
            await outbox.finish(sessions, message.id, "failed", today=today)
            return
        except TelegramBadRequest:
            await outbox.finish(sessions, message.id, "failed", today=today)
            return
        except Exception as exc:
            # Sent or not, nobody knows (the connection broke mid-call): at most once.
            log.warning("an outbox message may not have been sent (%s)", type(exc).__name__)
            await outbox.finish(sessions, message.id, "unknown", today=today)
            return
        await outbox.finish(sessions, message.id, "sent", today=today)

    async def compose(self, message: outbox.Outgoing) -> tuple[str, InlineKeyboardMarkup] | None:
        """The invitation, or None if it should no longer be sent."""
        who = pseudonym(self.app.secret, "telegram", message.chat_id)
        async with UnitOfWork(self.app.sessions) as uow:
            wave = await uow.waves.get(message.wave_id)
            person = await uow.people.get(who)
            if wave is None or wave.status != "open" or services.past_closing(wave, date.today()):
                return None
            if person is None or not person.contact_active:
                return None
            if await uow.participations.exists(wave.id, who):
                return None
        language = pick_language(message.language, None)
        title = localise(wave_survey(wave).title, language)
        text = (
            t("invitation", language, title=title, closes=wave.closes_on.strftime("%d/%m/%Y"))
            if wave.closes_on
            else t("invitation_open_ended", language, title=title)
        )
        keyboard = rows(
            [button(t("invitation_start", language), 0, Press.INVITE, str(wave.id))],
            [button(t("invitation_stop", language), 0, Press.STOP)],
        )
        return text, keyboard
