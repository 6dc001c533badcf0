"""A local fake of the Telegram Bot API, enough for the real bot to talk to over HTTP.

It queues updates for getUpdates, records every method the bot calls, keeps the chat as a
person would see it (messages, edits, buttons), and lets tests act as people: send text,
press buttons, and wait for what the bot says.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientConnectionError, ClientSession, web

BOT_ID = 7000000001
BOT_USERNAME = "firevoice_test_bot"
TOKEN = f"{BOT_ID}:AAH-fake-token-for-tests-only-0123456789"


@dataclass
class BotMessage:
    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    edited: bool = False


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], BotMessage] = {}
        self.order: list[tuple[int, int]] = []
        # Seconds each sendMessage takes to be accepted (a slow Telegram), when set.
        self.send_delay = 0.0
        # Photos and documents the bot sent: (chat, message id) -> (file name, bytes).
        self.files: dict[tuple[int, int], tuple[str, bytes]] = {}
        self._queue: list[dict[str, Any]] = []
        self._update_ids = itertools.count(100)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.next_errors: dict[str, list[dict[str, Any]]] = {}
        # Where updates go once a bot has set a webhook this machine can reach.
        self.webhook: tuple[str, str] | None = None
        self.webhook_statuses: list[int] = []
        self._deliveries: set[asyncio.Task[None]] = set()

    # --- server ---------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {"filename": value.filename, "content": value.file.read()}
                continue
            text = value if isinstance(value, str) else str(value)
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        if method.lower() != "getupdates":
            async with self._changed:
                self.calls.append(Call(method, params))
                self._changed.notify_all()
        queued = self.next_errors.get(method)
        if queued:
            error = queued.pop(0)
            # Like the real Bot API, the HTTP status matches the error code.
            return web.json_response(error, status=int(error.get("error_code", 400)))
        handler = getattr(self, f"_m_{method.lower()}", None)
        result = await handler(params) if handler else True
        return web.json_response({"ok": True, "result": result})

    # --- Bot API methods ------------------------------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "firevoice",
            "username": BOT_USERNAME,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        async with self._changed:
            self.calls.append(Call("getUpdates", params))
            self._changed.notify_all()
            while True:
                # Like Telegram: asking from an offset confirms (forgets) every update below
                # it; the others are delivered again until they are confirmed.
                if offset:
                    self._queue = [
                        u for u in self._queue if u["update_id"] >= offset or u.get("_redeliver")
                    ]
                ready = [u for u in self._queue if u["update_id"] >= offset or u.get("_redeliver")]
                ready = ready[: int(params.get("limit") or 100)]
                if ready:
                    for update in ready:
                        if update.get("_redeliver"):  # a test's deliberate second delivery
                            self._queue.remove(update)
                    return [{k: v for k, v in u.items() if k != "_redeliver"} for u in ready]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    return []

    def _store(self, chat_id: int, text: str, markup: Any) -> dict[str, Any]:
        message_id = next(self._message_ids)
        buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        self.messages[(chat_id, message_id)] = BotMessage(chat_id, message_id, text, buttons)
        self.order.append((chat_id, message_id))
        return self._message_json(self.messages[(chat_id, message_id)])

    def _message_json(self, message: BotMessage) -> dict[str, Any]:
        return {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "firevoice"},
            "text": message.text,
        }

    async def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        url = str(params["url"])
        if url.startswith("http://127.0.0.1"):
            self.webhook = (url, str(params.get("secret_token", "")))
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _deliver(self, update: dict[str, Any]) -> None:
        """POST an update to the webhook, again after a pause until it is answered 200."""
        assert self.webhook is not None
        url, secret = self.webhook
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.post(url, json=update, headers=headers) as answer:
                        self.webhook_statuses.append(answer.status)
                        if answer.status == 200:
                            return
                except ClientConnectionError:
                    pass
                await asyncio.sleep(0.2)

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        return self._store(int(params["chat_id"]), str(params["text"]), params.get("reply_markup"))

    async def _m_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._store_file(params, "photo")

    async def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._store_file(params, "document")

    def _store_file(self, params: dict[str, Any], field_name: str) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        upload = params[field_name]
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params[upload.removeprefix("attach://")]
        stored = self._store(chat_id, str(params.get("caption") or ""), params.get("reply_markup"))
        self.files[(chat_id, int(stored["message_id"]))] = (upload["filename"], upload["content"])
        return stored

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return True
        message.text = str(params["text"])
        markup = params.get("reply_markup")
        message.buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        message.edited = True
        return self._message_json(message)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return True
        markup = params.get("reply_markup")
        message.buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return self._message_json(message)

    # --- acting as people -----------------------------------------------------------

    async def push(self, update: dict[str, Any], *, redeliver: bool = False) -> dict[str, Any]:
        async with self._changed:
            update = dict(update)
            if "update_id" not in update:
                update["update_id"] = next(self._update_ids)
            if redeliver:
                update["_redeliver"] = True
            if self.webhook is not None:
                clean = {k: v for k, v in update.items() if k != "_redeliver"}
                task = asyncio.get_running_loop().create_task(self._deliver(clean))
                self._deliveries.add(task)
                task.add_done_callback(self._deliveries.discard)
                return update
            self._queue.append(update)
            self._changed.notify_all()
        return update

    def chat(self, chat_id: int) -> list[BotMessage]:
        return [self.messages[k] for k in self.order if k[0] == chat_id]

    async def wait_until(self, predicate: Any, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("timed out waiting for the bot")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]


class Person:
    """Someone using Telegram on their phone, talking to the bot in a private chat."""

    _ids = itertools.count(555000001)

    def __init__(self, telegram: FakeTelegram, language: str = "en", name: str = "Sam"):
        self.tg = telegram
        self.id = next(self._ids)
        self.language = language
        self.name = name
        self._message_ids = itertools.count(1)

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.name,
            "username": f"{self.name.lower()}_{self.id}",
            "language_code": self.language,
        }

    def message_update(self, text: str | None = None, **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": self.id, "type": "private", "first_name": self.name},
            "from": self._user(),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"message": message}

    @property
    def chat(self) -> list[BotMessage]:
        return self.tg.chat(self.id)

    def last(self) -> BotMessage:
        return self.chat[-1]

    async def say(self, text: str, *, expect_reply: bool = True) -> dict[str, Any]:
        seen = len(self.chat)
        update = await self.tg.push(self.message_update(text))
        if expect_reply:
            await self.tg.wait_until(lambda: len(self.chat) > seen)
        return update

    async def send_raw(self, update: dict[str, Any], *, redeliver: bool = False) -> dict[str, Any]:
        return await self.tg.push(update, redeliver=redeliver)

    def find_button(self, label: str, message: BotMessage | None = None) -> tuple[BotMessage, str]:
        candidates = [message] if message else list(reversed(self.chat))
        for candidate in candidates:
            for row in candidate.buttons:
                for button in row:
                    if label == button["text"] or label in button["text"]:
                        return candidate, str(button["callback_data"])
        raise AssertionError(
            f"no button {label!r}; last message: {self.chat[-1].text if self.chat else None!r}"
        )

    def callback_update(self, message: BotMessage, data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": f"cb{next(self._message_ids)}-{self.id}",
                "from": self._user(),
                "chat_instance": str(self.id),
                "data": data,
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": {"id": self.id, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "firevoice"},
                    "text": message.text,
                },
            }
        }

    async def press(self, label: str, message: BotMessage | None = None) -> str | None:
        """Tap a button; returns the notice the bot showed for it (None if none)."""
        target, data = self.find_button(label, message)
        return await self.press_data(target, data)

    async def press_data(self, message: BotMessage, data: str) -> str | None:
        update = await self.tg.push(self.callback_update(message, data))
        query_id = update["callback_query"]["id"]
        await self.tg.wait_until(
            lambda: any(
                c.params.get("callback_query_id") == query_id
                for c in self.tg.calls_of("answerCallbackQuery")
            )
        )
        answer = next(
            c
            for c in self.tg.calls_of("answerCallbackQuery")
            if c.params.get("callback_query_id") == query_id
        )
        text = answer.params.get("text")
        return str(text) if text else None

    def mark(self) -> int:
        """A bookmark in the chat, for expect(..., since=...)."""
        return len(self.chat)

    async def expect(self, fragment: str, since: int = 0, timeout: float = 15.0) -> BotMessage:
        """Wait until a bot message in this chat (from `since` on) contains the fragment."""

        def found() -> bool:
            return any(fragment in m.text for m in self.chat[since:])

        await self.tg.wait_until(found, timeout)
        return next(m for m in reversed(self.chat[since:]) if fragment in m.text)
