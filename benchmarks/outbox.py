"""Benchmark: sending invitations through the outbox against a Bot API that enforces limits.

    .venv/bin/python benchmarks/outbox.py [--invitations 10000] [--seconds 400] [--busy-seconds 60]

A fake Bot API (benchmarks/bot.py's, with Telegram's limits added: at most 30 messages in
any second overall, and one a second per chat after a burst of up to 3, else 429 with
retry_after: Telegram tolerates short bursts in one chat) receives what
`firevoice run` sends. The database holds --invitations people who agreed to be messaged,
all invited to an open wave. Two runs, --seconds and --busy-seconds long:

1. nobody else is using the bot: invitations sent per second, and 429s after the first
   second (target: at least 25 a second, no 429 after the first second);
2. 50 people answer a survey meanwhile, each tapping every 2-5 s (they arrive over 5 s
   and are measured from 5 s later): their p50/p95 time from a tap to the next question
   (target: p95 under 1 s), and invitations per second.

Not run in CI: it takes minutes. The README quotes the last figures.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from benchmarks.bot import FakeBotApi, firevoice_env, prepare, serve  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.models import Person, Wave  # noqa: E402
from surveys.pseudonym import pseudonym  # noqa: E402
from surveys.sealing import contact_key, person_box, seal_value  # noqa: E402

INVITEES = 30_000_000
PER_SECOND = 30
CHAT_BURST = 3


@dataclass
class LimitedBotApi(FakeBotApi):
    """The benchmark's fake Bot API, refusing messages beyond Telegram's limits."""

    sent: deque[float] = field(default_factory=deque)
    # Per chat, a bucket of CHAT_BURST messages refilled at one a second: (level, when).
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    refused: list[float] = field(default_factory=list)
    refused_chat: int = 0  # of which for sending twice to one chat within a second
    invited: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"].lower() == "sendmessage":
            form = await request.post()  # aiohttp keeps it for the handler below
            chat_id = int(str(form["chat_id"]))
            now = time.monotonic()
            while self.sent and now - self.sent[0] > 1:
                self.sent.popleft()
            level, then = self.buckets.get(chat_id, (CHAT_BURST, now))
            level = min(CHAT_BURST, level + (now - then))
            too_soon = level < 1
            if len(self.sent) >= PER_SECOND or too_soon:
                self.refused.append(now)
                self.refused_chat += too_soon
                return web.json_response(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                    status=429,
                )
            self.sent.append(now)
            self.buckets[chat_id] = (level - 1, now)
            if chat_id >= INVITEES:
                self.invited.append(now)
        return await super().handle(request)


async def add_invitees(url: str, secret: bytes, count: int) -> int:
    """People who agreed to be messaged, home unit STN01-RED; returns the wave to invite to."""
    engine = make_engine(url)
    key = contact_key(secret)
    month = date.today().replace(day=1)
    rows = []
    for n in range(count):
        who = pseudonym(secret, "telegram", INVITEES + n)
        rows.append(
            {
                "pseudonym": who,
                "consented": True,
                "contact_ok": True,
                "contact_active": True,
                "contact_sealed": seal_value(key, INVITEES + n, person_box("contact", who)),
                "home_unit_sealed": seal_value(key, "STN01-RED", person_box("home_unit", who)),
                "monitoring": "declined",
                "last_seen_month": month,
            }
        )
    try:
        async with engine.begin() as conn:
            for chunk in range(0, len(rows), 5_000):
                await conn.execute(insert(Person), rows[chunk : chunk + 5_000])
        sessions = make_sessionmaker(engine)
        async with sessions() as session:
            wave_id = int(await session.scalar(select(func.max(Wave.id))) or 0)
        queued = await outbox.queue_invitations(sessions, key, wave_id, today=date.today())
        print(f"{queued.queued} invitations queued", flush=True)
        return wave_id
    finally:
        await engine.dispose()


async def run_once(args: argparse.Namespace, people: int, seconds: float) -> LimitedBotApi:
    secret = secrets.token_urlsafe(48).encode()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/outbox.db"
        payload = await prepare(url, secret, 0)
        await add_invitees(url, secret, args.invitations)
        api = LimitedBotApi(payload, people, open_loop=True)
        runner, api_url = await serve(api)
        env = firevoice_env(url, secret)
        env["FIREVOICE_TELEGRAM_API_URL"] = api_url
        firevoice = str(Path(sys.executable).parent / "firevoice")
        process = await asyncio.create_subprocess_exec(
            firevoice,
            "run",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            # People arrive over 5 s (50 starting in the same second would pass Telegram's
            # limit by themselves), and are measured once all have started.
            for _ in range(people):
                api.start_someone()
                await asyncio.sleep(5 / people)
            await asyncio.sleep(5)
            api.latencies, api.refused, api.refused_chat = [], [], 0
            api.invited = [t for t in api.invited if time.monotonic() - t <= 1]
            await asyncio.sleep(seconds)
            return api
        finally:
            process.terminate()
            await process.wait()
            await runner.cleanup()


def report(label: str, api: LimitedBotApi) -> None:
    if not api.invited:
        print(f"{label}: no invitation was sent")
        return
    first = api.invited[0]
    window = [t for t in api.invited if t - first >= 1]
    span = max(api.invited[-1] - first - 1, 1e-9)
    late_refusals = sum(1 for t in api.refused if t - first >= 1)
    line = (
        f"{label}: {len(api.invited)} invitations, {len(window) / span:5.1f} a second after the "
        f"first second; 429s: {len(api.refused)} in all ({api.refused_chat} for one chat), "
        f"{late_refusals} after the first second"
    )
    if api.latencies:
        cuts = statistics.quantiles(api.latencies, n=100)
        line += (
            f"; people's tap to next question p50 {cuts[49] * 1000:.0f} ms, "
            f"p95 {cuts[94] * 1000:.0f} ms ({len(api.latencies)} taps)"
        )
    print(line, flush=True)


async def main_async(args: argparse.Namespace) -> None:
    print(
        f"{args.invitations} invitations queued; runs of {args.seconds:.0f} s and "
        f"{args.busy_seconds:.0f} s",
        flush=True,
    )
    report("nobody else active", await run_once(args, 0, args.seconds))
    busy = await run_once(args, 50, args.busy_seconds)
    report("50 people answering", busy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invitations", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=400, help="the run with nobody else")
    parser.add_argument("--busy-seconds", type=float, default=60, help="the run with 50 people")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
