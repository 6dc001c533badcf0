"""One person's private chat with the bot, for the length of one update.

A Chat is what the conversation (bot/conversation.py) works with: the update's unit of
work, the person's record with its sealed fields (the equality profile with a key that
needs their Telegram id, the contact chat id with the server's key), their language,
their unfinished conversation, and replies that go out once the update has committed.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup

from bot.app import App
from bot.i18n import pick_language
from bot.state import Conversation, Tap
from storage import services
from storage.models import Person
from storage.uow import UnitOfWork
from surveys import sealing
from surveys.dialogue import next_step
from surveys.pseudonym import pseudonym

log = logging.getLogger("firevoice.chat")


@dataclass
class Chat:
    """One person's private chat with the bot, for the length of one update."""

    app: App
    bot: Bot
    chat_id: int
    user_id: int
    tap: Tap
    conversation: Conversation
    telegram_language: str | None
    _person: Person | None = field(default=None, init=False)
    _person_loaded: bool = field(default=False, init=False)

    @property
    def uow(self) -> UnitOfWork:
        """The update's unit of work: everything the update changes commits together."""
        return self.tap.uow

    @functools.cached_property
    def pseudonym(self) -> str:
        return pseudonym(self.app.secret, "telegram", self.user_id)

    async def person(self) -> Person | None:
        if not self._person_loaded:
            self._person = await self.uow.people.get(self.pseudonym)
            self._person_loaded = True
        return self._person

    async def update_person(self, **fields: Any) -> Person:
        """Change what is kept about this person; `profile`, `contact_chat_id` and
        `home_unit` are sealed."""
        sealed = (
            ("profile", "profile", self._profile_key),
            ("contact", "contact_chat_id", self._server_key),
            ("home_unit", "home_unit", self._server_key),
        )
        for purpose, name, key in sealed:
            if name in fields:
                value = fields.pop(name)
                fields[f"{purpose}_sealed"] = (
                    None if value is None else sealing.seal_value(key(), value, self._box(purpose))
                )
        self._person = await services.update_person(
            self.uow, self.pseudonym, date.today(), **fields
        )
        self._person_loaded = True
        return self._person

    async def profile(self) -> dict[str, Any] | None:
        """The person's equality answers, opened with a key that needs their Telegram id."""
        person = await self.person()
        sealed = person.profile_sealed if person else None
        value = self._opened("profile", self._profile_key(), sealed)
        return value if isinstance(value, dict) else None

    async def home_unit(self) -> str | None:
        """The code of the person's home unit, if they have one (sealed with the server key)."""
        person = await self.person()
        sealed = person.home_unit_sealed if person else None
        value = self._opened("home_unit", self._server_key(), sealed)
        return value if isinstance(value, str) else None

    def _opened(self, purpose: str, key: bytes, sealed: str | None) -> Any:
        if sealed is None:
            return None
        try:
            return sealing.open_value(key, sealed, self._box(purpose))
        except sealing.SealError:
            # Sealed under another secret key: as good as none, and said so in the log.
            log.warning("a sealed %s could not be opened (was the secret key changed?)", purpose)
            return None

    def _server_key(self) -> bytes:
        return sealing.contact_key(self.app.secret)

    def _profile_key(self) -> bytes:
        return sealing.profile_key(self.app.secret, "telegram", self.user_id)

    def _box(self, purpose: str) -> str:
        return sealing.person_box(purpose, self.pseudonym)

    async def language(self) -> str:
        person = await self.person()
        data = await self.data()
        preferred = person.language if person and person.language else data.get("lang")
        return pick_language(preferred, self.telegram_language)

    async def send(
        self, text: str, keyboard: InlineKeyboardMarkup | None = None, *, question: bool = False
    ) -> None:
        """Send a message once the update's changes have committed; a question's message
        id is remembered (bot/state.py ShownQuestions) so a typed answer can tidy it up."""

        async def call() -> None:
            message = await self.bot.send_message(self.chat_id, text, reply_markup=keyboard)
            if question:
                self.tap.shown.remember(self.conversation.key, message.message_id)

        self.tap.reply(call)

    def shown_question(self) -> int | None:
        """The message id of the question last shown in this chat, if this process knows it."""
        return self.tap.shown.pop(self.conversation.key)

    async def edit(
        self, message_id: int, text: str | None, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """After the commit: replace a question with its answer (and remove the buttons), or
        with no text given, change only its buttons."""

        async def call() -> None:
            try:
                if text is None:
                    await self.bot.edit_message_reply_markup(
                        chat_id=self.chat_id, message_id=message_id, reply_markup=keyboard
                    )
                else:
                    await self.bot.edit_message_text(
                        text=text, chat_id=self.chat_id, message_id=message_id, reply_markup=None
                    )
            except TelegramBadRequest:
                # Too old to edit, or already edited: the answer is recorded either way.
                log.debug("could not edit a question message")

        self.tap.reply(call)

    async def data(self) -> dict[str, Any]:
        return await self.conversation.get()

    async def save(self, data: dict[str, Any]) -> None:
        await self.conversation.set(data)

    async def clear(self) -> None:
        await self.conversation.clear()

    async def next_step(self, data: dict[str, Any]) -> int:
        return next_step(data)
