"""Benchmark: answers per second through the real bot, against a closed-loop fake Bot API.

    .venv/bin/python benchmarks/bot.py                          # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bot.py --backends sqlite --existing 0 --seconds 10
    .venv/bin/python benchmarks/bot.py --open-loop              # tap-to-reply latency

A fake Bot API in this process simulates U people tapping through the bundled staff pulse
as fast as the bot answers: each question the bot sends is answered at once (its first
option, or a typed text), and a person who finishes is replaced by a new one. Beside
firevoice it runs a bare aiogram bot that makes the same Bot API calls per tap (answer
the press, edit the message, send the next question with five buttons) and stores
nothing: the floor any bot on this machine could reach. Both run as `firevoice run`
runs, a polling process of their own, one after the other, and the script prints answers
per second for each.

firevoice is measured with no other people in the database and with --existing people
(default 20,000) who took part in an earlier wave. The people who answer have agreed to
the privacy notice and skipped the equality questions before, so every tap is a survey
answer. --open-loop instead has 50 people each tapping every 2-5 s and prints the p50 and
p95 time from a tap to the bot's next question.

Not run in CI: it takes minutes. The README quotes the last figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from storage import migrate, services  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.models import Participation, Person  # noqa: E402
from surveys.links import LinkTarget, make_payload  # noqa: E402
from surveys.loader import SurveyCatalog  # noqa: E402
from surveys.pseudonym import pseudonym  # noqa: E402

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAH-fake-token-for-benchmarks-0123456789"
ORG_CSV = """code,name,kind,parent_code,headcount
NFRS,Northshire Fire and Rescue Service,service,,2000
N-AREA,North Area,area,NFRS,1000
STN01,Ashford,station,N-AREA,60
STN01-RED,Ashford Red Watch,watch,STN01,15
STN01-WHITE,Ashford White Watch,watch,STN01,15
"""
NAVIGATION = {"« Back", "Skip »", "Done ✓"}
FIRST_PERSON = 10_000_000
CANDIDATES = 4_000


@dataclass
class Chat:
    person: int
    waiting_since: float | None = None  # when the tap the bot has not answered yet was made
    selected: bool = False


@dataclass
class FakeBotApi:
    """Bot API methods the bots use, and people who answer whatever they are asked."""

    start_payload: str
    people: int
    open_loop: bool = False
    chats: dict[int, Chat] = field(default_factory=dict)
    queue: list[dict[str, Any]] = field(default_factory=list)
    answers: int = 0
    latencies: list[float] = field(default_factory=list)
    next_person: int = FIRST_PERSON
    next_update: int = 1
    next_message: int = 1
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    # Set when the bot registers a webhook: updates are then POSTed to it, not polled.
    webhook: tuple[str, str] | None = None
    http: ClientSession | None = None
    posts: set[asyncio.Task[None]] = field(default_factory=set)

    # --- people -----------------------------------------------------------------------------

    def start_someone(self) -> None:
        person = self.next_person
        self.next_person += 1
        self.chats[person] = Chat(person)
        self.push(person, {"message": self._message(person, f"/start {self.start_payload}")})

    def push(self, person: int, update: dict[str, Any]) -> None:
        numbered = {"update_id": self.next_update, **update}
        self.next_update += 1
        self.chats[person].waiting_since = time.monotonic()
        if self.webhook is not None:
            task = asyncio.get_running_loop().create_task(self.post(numbered))
            self.posts.add(task)
            task.add_done_callback(self.posts.discard)
            return
        self.queue.append(numbered)
        self.changed.set()

    async def post(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        if self.http is None:
            self.http = ClientSession()
        url, secret = self.webhook
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        for _ in range(50):  # as Telegram does, again until it is answered 200
            try:
                async with self.http.post(url, json=update, headers=headers) as answer:
                    if answer.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.1)

    def tap(self, person: int, update: dict[str, Any]) -> None:
        if not self.open_loop:
            self.push(person, update)
            return

        async def later() -> None:
            await asyncio.sleep(random.uniform(2, 5))
            self.push(person, update)

        asyncio.get_running_loop().create_task(later())

    def _message(self, person: int, text: str) -> dict[str, Any]:
        return {
            "message_id": self.next_message,
            "date": int(time.time()),
            "chat": {"id": person, "type": "private"},
            "from": {"id": person, "is_bot": False, "first_name": "P", "language_code": "en"},
            "text": text,
        }

    def _press(self, person: int, message_id: int, data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(self.next_update),
                "from": {"id": person, "is_bot": False, "first_name": "P"},
                "chat_instance": str(person),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": person, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot"},
                    "text": "question",
                },
            }
        }

    def on_sent(self, person: int, message_id: int, text: str, markup: Any) -> None:
        """A person reads what the bot sent and answers it."""
        chat = self.chats.get(person)
        if chat is None:
            return
        is_question = text.startswith("Question")
        if (is_question or text.startswith("Thank you")) and chat.waiting_since is not None:
            self.answers += 1
            self.latencies.append(time.monotonic() - chat.waiting_since)
            chat.waiting_since = None
        if text.startswith("Thank you"):
            del self.chats[person]
            if not self.open_loop:
                self.start_someone()
            return
        if not is_question:
            return
        buttons = [b for row in (markup or {}).get("inline_keyboard", []) for b in row]
        options = [b for b in buttons if b["text"] not in NAVIGATION]
        chat.selected = False
        if options:
            self.tap(person, self._press(person, message_id, options[0]["callback_data"]))
        else:
            self.tap(person, {"message": self._message(person, "Fine, thanks.")})

    def on_keyboard(self, person: int, message_id: int, markup: Any) -> None:
        """A multiple-choice question's keyboard changed: press Done."""
        buttons = [b for row in (markup or {}).get("inline_keyboard", []) for b in row]
        done = [b for b in buttons if b["text"] == "Done ✓"]
        chat = self.chats.get(person)
        if done and chat is not None and not chat.selected:
            chat.selected = True
            self.push(person, self._press(person, message_id, done[0]["callback_data"]))

    # --- the Bot API ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params: dict[str, Any] = {}
        for key, value in (await request.post()).items():
            text = value if isinstance(value, str) else str(value)
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        result: Any = True
        if method == "getme":
            result = {"id": BOT_ID, "is_bot": True, "first_name": "bot", "username": "bench_bot"}
        elif method == "setwebhook":
            self.webhook = (str(params["url"]), str(params.get("secret_token", "")))
        elif method == "getupdates":
            result = await self.updates(int(params.get("offset") or 0))
        elif method == "sendmessage":
            message_id = self.next_message
            self.next_message += 1
            chat_id = int(params["chat_id"])
            markup = params.get("reply_markup")
            self.on_sent(chat_id, message_id, str(params["text"]), markup)
            result = {**self._message(chat_id, str(params["text"])), "message_id": message_id}
            result["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "bot"}
        elif method == "editmessagereplymarkup":
            markup = params.get("reply_markup")
            self.on_keyboard(int(params["chat_id"]), int(params["message_id"]), markup)
        return web.json_response({"ok": True, "result": result})

    async def updates(self, offset: int) -> list[dict[str, Any]]:
        self.queue = [u for u in self.queue if u["update_id"] >= offset]
        deadline = time.monotonic() + 1.0
        while not self.queue:
            self.changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return []
        return self.queue[:100]


async def serve(api: FakeBotApi) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def prepare(url: str, secret: bytes, existing: int) -> str:
    """A fresh database with the organisation, an open staff pulse and the people."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    catalog = SurveyCatalog.load()
    try:
        await services.import_org(sessions, ORG_CSV)
        pulse = catalog.get("staff_pulse")
        earlier = await services.open_wave(sessions, pulse, today=date.today())
        await services.open_wave(sessions, pulse, today=date.today())
        month = date.today().replace(day=1)

        def person(key: str) -> dict[str, Any]:
            return {
                "pseudonym": key,
                "consented": True,
                "contact_ok": False,
                "contact_active": False,
                "monitoring": "declined",
                "last_seen_month": month,
            }

        # Those who will answer (enough for the fastest run), and those already there.
        answering = [
            person(pseudonym(secret, "telegram", FIRST_PERSON + i)) for i in range(CANDIDATES)
        ]
        others = [person(secrets.token_hex(32)) for _ in range(existing)]
        took_part = [{"wave_id": earlier.id, "pseudonym": p["pseudonym"]} for p in others]
        async with engine.begin() as conn:
            for rows, table in ((answering + others, Person), (took_part, Participation)):
                for chunk in range(0, len(rows), 5_000):
                    await conn.execute(insert(table), rows[chunk : chunk + 5_000])
    finally:
        await engine.dispose()
    return make_payload(secret, LinkTarget("staff_pulse", "STN01-RED"))


async def fresh_postgres(admin_url: str, name: str) -> str:
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        await engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def firevoice_env(url: str, secret: bytes) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIREVOICE_")}
    env.update(
        FIREVOICE_BOT_TOKEN=TOKEN,
        FIREVOICE_DATABASE_URL=url,
        FIREVOICE_SECRET_KEY=secret.decode(),
        FIREVOICE_LOG_LEVEL="WARNING",
    )
    return env


async def run(args: argparse.Namespace) -> None:
    firevoice = str(Path(sys.executable).parent / "firevoice")
    secret = secrets.token_urlsafe(48).encode()
    label = (
        "open loop, 50 people tapping every 2-5 s"
        if args.open_loop
        else f"closed loop, {args.people} people"
    )
    print(f"{label}; {args.seconds:.0f} s per run")
    if not args.open_loop:
        bare = await measure(
            [sys.executable, str(Path(__file__).with_name("bare_bot.py")), "{api}", TOKEN],
            dict(os.environ),
            FakeBotApi("x", args.people),
            args,
        )
        print(f"bare aiogram floor: {bare.answers / args.seconds:7.1f} answers/s")
    with tempfile.TemporaryDirectory() as folder:
        for backend in args.backends.split(","):
            for existing in (int(n) for n in args.existing.split(",")):
                name = f"firevoice_bench_{existing}"
                if backend == "sqlite":
                    url = f"sqlite+aiosqlite:///{folder}/{name}.db"
                else:
                    url = await fresh_postgres(args.postgres_url, name)
                payload = await prepare(url, secret, existing)
                env = firevoice_env(url, secret)
                env["FIREVOICE_TELEGRAM_API_URL"] = "{api}"
                api = FakeBotApi(payload, args.people, open_loop=args.open_loop)
                command = [firevoice, "run"]
                result = await measure(command, env, api, args)
                line = f"firevoice, {backend:10s} {existing:6d} people before: "
                if args.open_loop:
                    cuts = statistics.quantiles(result.latencies, n=100)
                    line += (
                        f"p50 {cuts[49] * 1000:6.1f} ms, p95 {cuts[94] * 1000:6.1f} ms "
                        f"({len(result.latencies)} taps)"
                    )
                else:
                    line += f"{result.answers / args.seconds:7.1f} answers/s"
                print(line, flush=True)
        for workers in (int(n) for n in args.workers.split(",") if n):
            url = await fresh_postgres(args.postgres_url, "firevoice_bench_workers")
            payload = await prepare(url, secret, 0)
            env = firevoice_env(url, secret)
            env["FIREVOICE_TELEGRAM_API_URL"] = "{api}"
            env["FIREVOICE_REDIS_URL"] = args.redis_url
            port = free_port()
            command = [firevoice, "run", "--webhook", "--public-url", f"http://127.0.0.1:{port}"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
            api = FakeBotApi(payload, args.people)
            result = await measure(command, env, api, args)
            print(
                f"firevoice, postgresql, webhook, {workers} worker(s): "
                f"{result.answers / args.seconds:7.1f} answers/s",
                flush=True,
            )


async def measure(
    command: list[str], env: dict[str, str], api: FakeBotApi, args: argparse.Namespace
) -> FakeBotApi:
    """Start the bot against the fake, let people start, then count for args.seconds."""
    runner, url = await serve(api)
    env = {k: v.replace("{api}", url) for k, v in env.items()}
    command = [part.replace("{api}", url) for part in command]
    # The bot's own log (its shutdown noise included) is not the benchmark's output.
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await asyncio.sleep(4)  # migrations checked, commands set, polling started
        if "--webhook" in command:
            for _ in range(300):  # the workers have started and registered the webhook
                if api.webhook is not None:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(2)
        for _ in range(50 if args.open_loop else args.people):
            api.start_someone()
        await asyncio.sleep(3 if not args.open_loop else 6)
        api.answers, api.latencies = 0, []
        await asyncio.sleep(args.seconds)
        return api
    finally:
        process.terminate()
        await process.wait()
        for task in list(api.posts):  # deliveries still under way when the run ends
            task.cancel()
        await asyncio.gather(*api.posts, return_exceptions=True)
        if api.http is not None:
            await api.http.close()
        await runner.cleanup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--existing", default="0,20000")
    parser.add_argument("--open-loop", action="store_true")
    parser.add_argument(
        "--workers",
        default="",
        help="also run firevoice as a webhook on PostgreSQL with these numbers of workers, "
        "e.g. 1,2 (needs Redis)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    unknown = set(args.backends.split(",")) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"--backends: unknown {', '.join(sorted(unknown))} (sqlite, postgresql)")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
