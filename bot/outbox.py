"""Sending the outbox (storage/outbox.py): invitations and reminders, at a pace Telegram
accepts.

One sender runs in the bot (worker 0 when there are several). It takes one message at a
time from the database, so a stop or a crash leaves the rest queued, and sends at most
FIREVOICE_OUTBOX_PER_SECOND messages a second. Telegram accepts about 30 messages a second
from a bot in all, replies to people answering surveys included, so the process counts
every message it sends (Traffic) and an invitation waits while the last second's messages
leave no room: invitations slow down while people are active, and replies never wait for
invitations.
Each person gets one message per wave, so Telegram's one-message-a-second-per-chat limit is
met by construction; when Telegram still asks one chat to wait (429 retry_after), that
message is put back for later and the others go on.

Before sending, the sender checks that the wave is still open and that the person still
wants messages and has not answered meanwhile; if not, the message is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup
from aiolimiter import AsyncLimiter
from redis.exceptions import RedisError

from bot.app import App
from bot.i18n import pick_language, t
from bot.keyboards import button, rows
from storage import outbox, services
from storage.models import Followup
from storage.rows import wave_survey
from storage.uow import UnitOfWork
from surveys.dialogue import Press
from surveys.pseudonym import pseudonym
from surveys.sealing import contact_key
from surveys.text import localise

log = logging.getLogger("firevoice.outbox")

IDLE_SECONDS = 1.0
FLUSH_SECONDS = 0.1  # how often a worker adds its message counts to Redis
# Telegram's limit of about 30 messages a second for a bot, with a margin, shared by
# replies and invitations (Traffic); an invitation waits in steps of YIELD_SECONDS.
BUDGET_PER_SECOND = 27
YIELD_SECONDS = 0.02


class Traffic:
    """The messages this process sent in the last second: replies, and invitations.

    Replies come in bursts (a batch of taps is answered at once) and never wait, so an
    invitation leaves room for as many replies again as went in the last second: while
    people are answering, invitations slow right down; when nobody is, they use it all.
    """

    def __init__(self) -> None:
        self._replies: deque[float] = deque()
        self._invitations: deque[float] = deque()

    def note(self, reply: bool = True) -> None:
        (self._replies if reply else self._invitations).append(time.monotonic())

    def _used(self) -> int:
        now = time.monotonic()
        for sent in (self._replies, self._invitations):
            while sent and now - sent[0] > 1:
                sent.popleft()
        return 2 * len(self._replies) + len(self._invitations)

    async def room(self, budget: int) -> None:
        """Wait until an invitation fits in the last second's budget."""
        for _ in range(10_000):  # bounded, though room comes back within a second
            if self._used() < budget:
                return
            await asyncio.sleep(YIELD_SECONDS)


class SharedTraffic(Traffic):
    """Traffic across several worker processes (webhook with --workers): each process adds
    what it sends to per-second counters in Redis, flushed every FLUSH_SECONDS, and the
    sender (worker 0) counts its own messages plus everyone else's from those counters.
    A Redis error only loses the count, never a message."""

    def __init__(self, redis: Any, prefix: str = "firevoice:traffic") -> None:
        super().__init__()
        self.redis = redis
        self.prefix = prefix
        self._pending: Counter[int] = Counter()  # second -> weight not yet in Redis
        self._flushed: Counter[int] = Counter()  # second -> own weight already in Redis

    def note(self, reply: bool = True) -> None:
        super().note(reply)
        self._pending[int(time.time())] += 2 if reply else 1

    def _key(self, second: int) -> str:
        return f"{self.prefix}:{second}"

    async def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, Counter()
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for second, weight in pending.items():
                    pipe.incrby(self._key(second), weight)
                    pipe.expire(self._key(second), 5)
                await pipe.execute()
        except RedisError as exc:
            log.warning("message counts could not be shared (%s)", type(exc).__name__)
            return
        self._flushed.update(pending)
        for second in [s for s in self._flushed if s < int(time.time()) - 3]:
            del self._flushed[second]

    async def flush_forever(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self.flush()

    async def _others(self) -> int:
        """The other processes' weight in about the last second."""
        now = time.time()
        second = int(now)
        try:
            values = await self.redis.mget(self._key(second), self._key(second - 1))
        except RedisError:
            return 0
        now_part, before = (int(v or 0) for v in values)
        now_part -= self._flushed.get(second, 0)
        before -= self._flushed.get(second - 1, 0)
        return max(0, now_part) + round(max(0, before) * (1 - (now - second)))

    async def room(self, budget: int) -> None:
        for _ in range(10_000):
            if self._used() + await self._others() < budget:
                return
            await asyncio.sleep(YIELD_SECONDS)


class Sender:
    def __init__(self, app: App, bot: Bot, traffic: Traffic):
        self.app = app
        self.bot = bot
        self.key = contact_key(app.secret)
        # Invitations' own rate, with bursts of at most 2.
        self.limiter = AsyncLimiter(2, 2 / app.settings.outbox_per_second)
        self.traffic = traffic
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the message being sent, then stop (a graceful restart drops nothing)."""
        self._stopping.set()

    async def run(self) -> None:
        abandoned = await outbox.abandon_unfinished(self.app.sessions, today=date.today())
        if abandoned:
            log.warning(
                "%s message(s) were being sent when the bot last stopped; they are not sent "
                "again (each person gets a message at most once)",
                abandoned,
            )
        while not self._stopping.is_set():
            try:
                message = await outbox.take_next(self.app.sessions, self.key, time.time())
            except Exception as exc:  # the database may be away for a moment; try again
                log.error("the outbox could not be read (%s)", type(exc).__name__)
                message = None
            if message is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), IDLE_SECONDS)
                continue
            async with self.limiter:
                await self.traffic.room(BUDGET_PER_SECOND)
                self.traffic.note(reply=False)
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
        """The message, or None if it should no longer be sent."""
        if message.kind in (outbox.FOLLOWUP, outbox.ASK_RESULTS):
            return await self.compose_followup(message)
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
        if wave.closes_on is None:  # reminders need a closing date, so this is an invitation
            text = t("invitation_open_ended", language, title=title)
        else:
            key = "reminder" if message.kind.startswith(outbox.REMINDER) else "invitation"
            text = t(key, language, title=title, closes=wave.closes_on.strftime("%d/%m/%Y"))
        keyboard = rows(
            [button(t("invitation_start", language), 0, Press.INVITE, str(wave.id))],
            [button(t("invitation_stop", language), 0, Press.STOP)],
        )
        return text, keyboard

    async def compose_followup(
        self, message: outbox.Outgoing
    ) -> tuple[str, InlineKeyboardMarkup] | None:
        """A "you said, we did" message (bot/followups.py), or the one-time question whether
        such messages are welcome; None if the person stopped messages or said no since."""
        who = pseudonym(self.app.secret, "telegram", message.chat_id)
        language = pick_language(message.language, None)
        stop = [button(t("invitation_stop", language), 0, Press.STOP)]
        async with UnitOfWork(self.app.sessions) as uow:
            person = await uow.people.get(who)
            if person is None or not person.contact_active:
                return None
            if message.kind == outbox.ASK_RESULTS:
                if person.results_ok is not None:
                    return None
                return t("ask_results", language), rows(
                    [
                        button(t("ask_results_yes", language), 0, Press.RESULTS, "yes"),
                        button(t("ask_results_no", language), 0, Press.RESULTS, "no"),
                    ],
                    stop,
                )
            detail = message.detail
            if person.results_ok is not True or not isinstance(detail, dict):
                return None
            followup_id = detail.get("f")
            if not isinstance(followup_id, int):
                return None
            followup = await uow.session.get(Followup, followup_id)
        if followup is None:
            return None
        texts = followup.texts.get(str(detail.get("u")), {})
        text = texts.get(language) or texts.get("en")
        return (text, rows(stop)) if text else None
