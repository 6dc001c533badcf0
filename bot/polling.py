"""Long polling that confirms an update to Telegram only once it has been handled.

aiogram's own polling asks for the next updates (which confirms the previous ones) while
their handlers are still running (aiogram#1397), so a crash mid-handler loses those taps.
Here each batch of updates is handled to the end, concurrently, before the next request
confirms it. A crash or `kill -9` at any moment leaves the batch unconfirmed: Telegram
sends it again, and the seen-update marks (bot/state.py), committed with each update's
effects, make the effects happen once. An update whose changes could not be saved is not
confirmed either, and comes again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from bot.state import CommitFailed

log = logging.getLogger("firevoice.polling")

POLL_SECONDS = 10
RETRY_SECONDS = (1, 2, 5, 10, 30)


async def handled(dispatcher: Dispatcher, bot: Bot, update: Update) -> bool:
    """Handle one update; False if its changes could not be saved (it must come again)."""
    try:
        await dispatcher.feed_update(bot, update)
    except CommitFailed:
        return False
    except Exception as exc:  # already reported by the dispatcher's error handler
        log.error("an update failed: %s", type(exc).__name__)
    return True


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def poll(bot: Bot, dispatcher: Dispatcher, stop: asyncio.Event) -> None:
    """Fetch, handle and confirm updates until `stop` is set (SIGTERM, SIGINT)."""
    allowed = dispatcher.resolve_used_update_types()
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            bot.get_updates(offset=offset, timeout=POLL_SECONDS, allowed_updates=allowed)
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()  # stopping: whatever it would have brought comes next time
            break
        try:
            updates = fetch.result()
        except Exception as exc:
            delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
            failures += 1
            log.warning("could not fetch updates (%s); retrying in %s s", type(exc).__name__, delay)
            await _wait(stop, delay)
            continue
        failures = 0
        if not updates:
            continue
        results = await asyncio.gather(*(handled(dispatcher, bot, u) for u in updates))
        if all(results):
            offset = updates[-1].update_id + 1
            continue
        # Confirm only what came before the first update that could not be saved; the
        # rest come again (those already handled are recognised and skipped).
        first = next(u for u, ok in zip(updates, results, strict=True) if not ok)
        offset = first.update_id
        log.warning("an update could not be saved; it will be handled again")
        await _wait(stop, RETRY_SECONDS[0])
    if offset is not None:
        # Confirm the last batch handled, so it is not delivered again on restart (it would
        # only be skipped, but its read-only replies would be sent twice).
        try:
            await bot.get_updates(offset=offset, timeout=0, limit=1)
        except Exception as exc:
            log.info("could not confirm the last updates (%s)", type(exc).__name__)


def stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
