"""Starting the Telegram bot: long polling or a webhook server.

Migrations have already run (bot/cli.py). Here: Bot with the configured API server, the
Dispatcher with its storage and middlewares, the command menu, then polling or serving.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import ErrorEvent

from bot import menus
from bot.app import App
from bot.handlers import build_router
from bot.handlers.context import redelivered
from bot.i18n import SUPPORTED, t
from bot.outbox import Sender, SharedTraffic, Traffic
from bot.polling import poll, stop_on_signals
from bot.state import CommitFailed, OneTransaction, PseudonymousKeyBuilder, forget_seen_updates
from storage import dashboard, outbox, roles, schedules, services
from storage.models import RoleGrant
from storage.uow import UnitOfWork
from surveys.cadence import parse_reminders, reminder_days, uk_today
from surveys.pseudonym import derive_key, pseudonym
from surveys.sealing import SealError, contact_key, open_value, role_box

log = logging.getLogger("firevoice")

MAX_RETRIES = 5
SENDER_GRACE_SECONDS = 15
WEBHOOK_PURPOSE = b"firevoice/webhook-secret/v1"


# aiogram reads every Bot API answer as Response[<the method's result type>]. pydantic keeps
# such generic classes only weakly, and a busy bot collects garbage often enough that it
# built them again for most requests (40% of the bot's time under load). Keeping one of
# each alive makes it a dictionary lookup.
_RESPONSE_TYPES: dict[type[Any], Any] = {}


def keep_response_type(method: TelegramMethod[Any]) -> None:
    if type(method) not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[type(method)] = Response[method.__returning__]  # type: ignore[name-defined]


class TelegramErrors(BaseRequestMiddleware):
    """429: wait as told and retry; network errors: retry with back-off; 403: stop contacting.
    Messages sent are counted in `traffic`, so invitations can leave room for them."""

    def __init__(
        self,
        app: App,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        traffic: Traffic | None = None,
    ):
        self.app = app
        self.sleep = sleep
        self.traffic = traffic

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        keep_response_type(method)
        for attempt in range(MAX_RETRIES + 1):
            if self.traffic is not None and isinstance(method, SendMessage):
                self.traffic.note()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == MAX_RETRIES:
                    raise
                log.warning("Telegram asked to slow down: waiting %s s", exc.retry_after)
                await self.sleep(exc.retry_after)
            except TelegramNetworkError:
                if attempt == MAX_RETRIES:
                    raise
                delay = min(2**attempt, 30)
                log.warning("network error talking to Telegram: retrying in %s s", delay)
                await self.sleep(delay)
            except TelegramForbiddenError:
                chat_id = getattr(method, "chat_id", None)
                if isinstance(chat_id, int):
                    # The bot talks only in private chats, where the chat id is the user id.
                    who = pseudonym(self.app.secret, "telegram", chat_id)
                    await services.mark_contact_blocked(self.app.sessions, who)
                raise
        raise AssertionError("unreachable")


# Loggers that would print row values, SQL parameters or raw updates at DEBUG or INFO:
# pseudonyms, answers, free text and Telegram ids must never reach a log, whatever
# FIREVOICE_LOG_LEVEL says.
QUIET_LOGGERS = (
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "redis",
    "aiogram.event",
    "aiogram.dispatcher",
    "aiogram.webhook",
    "aiohttp.client",
    "aiohttp.web",
)


def configure_logging(level: str) -> None:
    """Log at `level`, but keep the database, Redis and update loggers at WARNING."""
    # The process id tells several workers apart (bot/workers.py).
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"
    )
    logging.getLogger().setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def make_bot(app: App, *, retrying: bool = True, traffic: Traffic | None = None) -> Bot:
    """The bot's Bot API client. Replies wait out Telegram's 429s and network errors
    (TelegramErrors) and are counted in `traffic`; the outbox's own client does neither
    (retrying=False): it must put one chat's message aside rather than wait, and counts
    its messages itself (bot/outbox.py)."""
    if app.settings.bot_token is None:
        raise RuntimeError("no bot token")
    session = AiohttpSession(api=TelegramAPIServer.from_base(app.settings.telegram_api_url))
    bot = Bot(token=app.settings.bot_token.get_secret_value(), session=session)
    if retrying:
        bot.session.middleware(TelegramErrors(app, traffic=traffic))
    return bot


@dataclass
class Backends:
    """Where one person's updates are kept in order: in this process, or Redis for several."""

    isolation: BaseEventIsolation
    redis: Any = None

    async def close(self) -> None:
        await self.isolation.close()
        if self.redis is not None:
            await self.redis.aclose()


def make_backends(app: App) -> Backends:
    if app.settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation
        from redis.asyncio import Redis

        redis = Redis.from_url(app.settings.redis_url)
        keys = PseudonymousKeyBuilder(app.secret)
        return Backends(RedisEventIsolation(redis, key_builder=keys), redis)
    return Backends(SimpleEventIsolation())


def make_dispatcher(app: App, backends: Backends) -> Dispatcher:
    # events_isolation serialises one person's updates, so two quick taps on the same
    # button are handled one after the other and the second finds its step stale.
    # aiogram's FSM storage is not used (bot/state.py keeps conversations in the update's
    # transaction); its middleware still takes the per-person lock.
    dispatcher = Dispatcher(storage=MemoryStorage(), events_isolation=backends.isolation, app=app)
    dispatcher.update.outer_middleware(OneTransaction(app.sessions, redelivered))
    dispatcher.include_router(build_router())

    @dispatcher.errors()
    async def on_error(event: ErrorEvent, bot: Bot) -> bool:
        if isinstance(event.exception, TelegramForbiddenError):
            log.info("a person has blocked the bot; they will not be contacted again")
            return True
        # Log where it failed, never the update: it holds answers and Telegram ids.
        log.error(
            "error handling an update: %s",
            type(event.exception).__name__,
            exc_info=(type(event.exception), event.exception, event.exception.__traceback__)
            if app.settings.log_level == "DEBUG"
            else None,
        )
        update = event.update
        chat, user = None, None
        if update.message is not None:
            chat, user = update.message.chat, update.message.from_user
        elif update.callback_query is not None and update.callback_query.message is not None:
            chat, user = update.callback_query.message.chat, update.callback_query.from_user
        if chat is not None and chat.type == "private":
            code = user.language_code if user else None
            language = code if code in SUPPORTED else "en"
            try:
                await bot.send_message(chat.id, t("error", language or "en"))
            except Exception:  # already handling an error: never raise from here
                log.warning("could not tell the person about the error")
        if isinstance(event.exception, CommitFailed):
            # Not acknowledged: a webhook answers 500 and Telegram sends the update again.
            raise event.exception
        return True

    return dispatcher


def webhook_secret(app: App) -> str:
    """The secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token (A-Z a-z 0-9 _ -)."""
    digest = hmac.new(derive_key(app.secret, WEBHOOK_PURPOSE), b"webhook", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class WebhookOptions:
    public_url: str
    host: str
    port: int
    path: str
    # With several worker processes (bot/workers.py) they share the port; worker 0 alone
    # registers the webhook and the command menu and does the daily housekeeping.
    worker: int = 0
    workers: int = 1


async def run_bot(app: App, webhook: WebhookOptions | None = None) -> None:
    configure_logging(app.settings.log_level)
    backends = make_backends(app)
    # With several workers, every worker's replies count against Telegram's limit, so
    # they share their counts through Redis (the sender is in worker 0 only).
    shared = webhook is not None and webhook.workers > 1 and backends.redis is not None
    traffic = SharedTraffic(backends.redis) if shared else Traffic()
    flusher = (
        asyncio.create_task(traffic.flush_forever()) if isinstance(traffic, SharedTraffic) else None
    )
    bot = make_bot(app, traffic=traffic)
    dispatcher = make_dispatcher(app, backends)
    database = "SQLite" if app.settings.is_sqlite else "PostgreSQL"
    state = "Redis" if app.settings.redis_url else "this process"
    leader = webhook is None or webhook.worker == 0
    housekeeping_task = asyncio.create_task(housekeeping(app, bot)) if leader else None
    # The outbox is sent by one process: its messages go out one at a time, at a pace.
    sender_bot = make_bot(app, retrying=False) if leader else None
    outbox_sender = Sender(app, sender_bot, traffic) if sender_bot else None
    sender = asyncio.create_task(outbox_sender.run()) if outbox_sender else None
    try:
        if leader:
            await menus.set_default(bot)
        if webhook is None:
            log.info(
                "firevoice started: long polling %s; database %s; updates kept in order by %s",
                app.settings.telegram_api_url,
                database,
                state,
            )
            await bot.delete_webhook(drop_pending_updates=False)
            dashboard = None
            if app.settings.dashboard_url:
                try:
                    dashboard = await serve_dashboard(app)
                except OSError as exc:  # the bot still serves people; say what to fix
                    log.error(
                        "the dashboard cannot listen on %s:%s (%s); the bot runs without it: "
                        "choose another FIREVOICE_DASHBOARD_PORT",
                        app.settings.dashboard_host,
                        app.settings.dashboard_port,
                        exc.strerror or exc,
                    )
            try:
                await poll(bot, dispatcher, stop_on_signals())
            finally:
                if dashboard is not None:
                    await dashboard.cleanup()
        else:
            log.info(
                "firevoice started (worker %s of %s): webhook %s on port %s; database %s; "
                "updates in order by %s",
                webhook.worker + 1,
                webhook.workers,
                webhook.public_url,
                webhook.port,
                database,
                state,
            )
            await serve_webhook(app, bot, dispatcher, webhook)
    finally:
        if housekeeping_task is not None:
            housekeeping_task.cancel()
        if flusher is not None:
            flusher.cancel()
        if sender is not None and outbox_sender is not None:
            # Let the message in hand finish, so a graceful stop drops nothing.
            outbox_sender.stop()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(sender, SENDER_GRACE_SECONDS)
        if sender_bot is not None:
            await sender_bot.session.close()
        await backends.close()
        await bot.session.close()
        await app.close()


async def housekeeping(app: App, bot: Bot) -> None:
    """Every few minutes: open the waves schedules make due and close those past their
    closing date (days in UK time), and take /results off revoked role holders' menus. At
    start and once a day: release full batches (left by a crash), forget old update ids
    and apply the retention rules."""
    daily_done: date | None = None
    reported: set[tuple[int, str]] = set()
    while True:
        today = uk_today()
        try:
            await open_and_close(app, today, reported)
            await clear_revoked_menus(app, bot)
            if daily_done != today:
                await daily(app, today)
                daily_done = today
        except Exception as exc:  # keep the bot running; the message may hold row values
            log.error("housekeeping failed (%s); will try again", type(exc).__name__)
        await asyncio.sleep(app.settings.housekeeping_minutes * 60)


async def open_and_close(app: App, today: date, reported: set[tuple[int, str]]) -> None:
    openings = await schedules.open_due_waves(
        app.sessions, app.survey, monitoring=app.monitoring, today=today
    )
    for opening in openings:
        if opening.wave is not None:
            invited = await outbox.queue_invitations(
                app.sessions, contact_key(app.secret), opening.wave.id, today=today
            )
            log.info(
                "schedule %s opened wave %s (%s) until %s; %s invitation(s) queued",
                opening.schedule_id,
                opening.wave.id,
                opening.wave.label,
                opening.wave.closes_on,
                invited.queued,
            )
        elif opening.problem and (opening.schedule_id, opening.period.key) not in reported:
            # Said once per period, not at every check.
            reported.add((opening.schedule_id, opening.period.key))
            log.error(
                "schedule %s could not open its wave for %s: %s",
                opening.schedule_id,
                opening.period.key,
                opening.problem,
            )
    for wave in await services.close_due_waves(app.sessions, app.batching, today=today):
        log.info("closed wave %s of %s: its closing date has passed", wave.id, wave.survey_key)
    await remind(app, today)


async def remind(app: App, today: date) -> None:
    """Queue the latest reminder due for each open wave with a closing date (one at most
    after downtime, not each one missed), once."""
    rule = parse_reminders(app.settings.reminders)
    for wave in await services.open_waves_with_dates(app.sessions, today=today):
        if wave.closes_on is None:
            continue
        due = [
            n
            for n, day in enumerate(reminder_days(wave.opens_on, wave.closes_on, rule), 1)
            if day <= today
        ]
        if not due or await outbox.reminders_queued(app.sessions, wave.id, due[-1]):
            continue
        queued = await outbox.queue_reminders(
            app.sessions, contact_key(app.secret), wave.id, due[-1], today=today
        )
        if queued.queued:
            log.info(
                "wave %s: reminder %s queued for %s person(s)", wave.id, due[-1], queued.queued
            )


async def clear_revoked_menus(app: App, bot: Bot) -> None:
    """A revoked role's holder gets the default command menu back (unless they hold
    another role)."""
    rows = await roles.menus_to_clear(app.sessions)
    if not rows:
        return
    done = []
    async with UnitOfWork(app.sessions) as uow:
        still = {r.holder for r in rows if r.holder and await roles.grants_of(uow, r.holder)}
    for row in rows:
        if row.chat_sealed and row.holder not in still:
            chat_id = role_chat(app, row)
            if chat_id is not None:
                try:
                    await menus.clear_for(bot, chat_id)
                except TelegramAPIError as exc:
                    log.warning("could not reset a revoked role's menu (%s)", type(exc).__name__)
                    continue
        done.append(row.id)
    await roles.menu_cleared(app.sessions, done)


def role_chat(app: App, row: RoleGrant) -> int | None:
    try:
        value = open_value(contact_key(app.secret), row.chat_sealed or "", role_box(row.id))
    except SealError:
        return None
    return value if isinstance(value, int) else None


async def daily(app: App, today: date) -> None:
    await services.release_full_pools(app.sessions, app.batching, today=today)
    await forget_seen_updates(app.sessions, today)
    await outbox.forget_done(app.sessions, today=today, keep_days=app.settings.outbox_keep_days)
    await roles.purge_access_log(app.sessions, today=today, keep_days=app.settings.audit_keep_days)
    await dashboard.purge(
        app.sessions, now=time.time(), today=today, keep_days=app.settings.audit_keep_days
    )
    result = await services.purge_expired(
        app.sessions,
        today=today,
        conversation_days=app.settings.retention_conversation_days,
        person_days=app.settings.retention_person_days,
    )
    log.info(
        "retention: deleted %s conversation(s), %s person record(s), %s participation(s)",
        result.conversations,
        result.people,
        result.participations,
    )


async def serve_dashboard(app: App) -> Any:
    """With long polling, the dashboard gets a server of its own (behind the TLS proxy)."""
    from aiohttp import web

    from web.app import make_web_app

    runner = web.AppRunner(make_web_app(app))
    await runner.setup()
    await web.TCPSite(runner, app.settings.dashboard_host, app.settings.dashboard_port).start()
    log.info(
        "dashboard at %s (listening on %s:%s)",
        app.settings.dashboard_url,
        app.settings.dashboard_host,
        app.settings.dashboard_port,
    )
    return runner


async def serve_webhook(
    app: App, bot: Bot, dispatcher: Dispatcher, options: WebhookOptions
) -> None:
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    secret = webhook_secret(app)

    @web.middleware
    async def refuse_unsigned(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == options.path and not hmac.compare_digest(
            request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), secret
        ):
            log.warning(
                "refused a webhook request without the right secret token from %s", request.remote
            )
            return web.Response(status=401, text="unauthorized")
        response: web.StreamResponse = await handler(request)
        return response

    web_app = web.Application(middlewares=[refuse_unsigned])
    if app.settings.dashboard_url:
        from web.app import Dashboard

        Dashboard(app).add_to(web_app)
    # Answer Telegram only once the update's changes have committed: a failure answers 500
    # and Telegram delivers the update again (bot/state.py).
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=secret).register(
        web_app, path=options.path
    )
    setup_application(web_app, dispatcher, bot=bot)
    url = options.public_url.rstrip("/") + options.path
    if options.worker == 0:
        await bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
    runner = web.AppRunner(web_app)
    await runner.setup()
    # Several workers listen on the same port; the kernel shares connections among them.
    site = web.TCPSite(runner, options.host, options.port, reuse_port=options.workers > 1)
    await site.start()
    stop = stop_on_signals()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
