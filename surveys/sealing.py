"""Sealed boxes for what the bot must keep about a person: their equality profile and chat id.

A person's profile is copied onto every response they submit, so a readable profile next
to a readable chat id would let anyone holding the database find the responses whose
snapshot matches and read them. Both are therefore stored encrypted (AES-256-GCM):

* the chat id (kept only with consent, for messages about future surveys) under a key
  derived from the secret key, so the bot can reach everyone who agreed;
* the profile under a key derived from the secret key *and the person's own Telegram id*,
  which the database never holds: it can be opened only while that person is talking to
  the bot.

Each box is bound to its row and purpose (associated data), so a box copied to another
row or column does not open.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from surveys.pseudonym import derive_key, per_person

PROFILE_PURPOSE = b"firevoice/profile/v1"
CONTACT_PURPOSE = b"firevoice/contact/v1"
NONCE_BYTES = 12


class SealError(ValueError):
    """A box that does not open: another key, another row, or damaged."""


def profile_key(secret: bytes, channel: str, user_id: int | str) -> bytes:
    """The key for one person's profile; it needs their channel user id."""
    return per_person(secret, PROFILE_PURPOSE, channel, user_id)


def contact_key(secret: bytes) -> bytes:
    return derive_key(secret, CONTACT_PURPOSE)


def seal_value(key: bytes, value: object, context: str) -> str:
    """Seal a JSON value (a person's sealed fields, an outbox message's chat id)."""
    return seal(key, json.dumps(value).encode(), context)


def open_value(key: bytes, sealed: str, context: str) -> Any:
    """The JSON value seal_value sealed; SealError if it will not open."""
    return json.loads(unseal(key, sealed, context))


def person_box(purpose: str, pseudonym: str) -> str:
    """The context a person's sealed field is bound to: its column and its row."""
    return f"{purpose}:{pseudonym}"


def role_box(role_id: int) -> str:
    """Where a role holder's chat id is sealed (with the server key): their role's row."""
    return f"role-chat:{role_id}"


def seal(key: bytes, plaintext: bytes, context: str) -> str:
    """Encrypt and authenticate; `context` (row and purpose) must match when opening."""
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(key).encrypt(nonce, plaintext, context.encode())
    return base64.urlsafe_b64encode(nonce + box).decode()


def unseal(key: bytes, sealed: str, context: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
    except (binascii.Error, ValueError):
        raise SealError("not a sealed box") from None
    if len(raw) <= NONCE_BYTES:
        raise SealError("not a sealed box")
    try:
        opened: bytes = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise SealError("the box does not open with this key and context") from None
    return opened


PENDING_PURPOSE = b"firevoice/pending-response/v1"
CONVERSATION_PURPOSE = b"firevoice/conversation/v1"


def pending_key(secret: bytes) -> bytes:
    """The key for responses waiting for their batch: the server's, like the contact's."""
    return derive_key(secret, PENDING_PURPOSE)


def conversation_key(secret: bytes, channel: str, user_id: int | str) -> bytes:
    """The key for one person's unfinished conversation; like the profile's, it needs their id."""
    return per_person(secret, CONVERSATION_PURPOSE, channel, user_id)


def pad(plaintext: bytes, minimum: int = 1024) -> bytes:
    """Pad with spaces to the next power of two (at least `minimum`), so a sealed box's length
    says little about its content (free text, how many questions were answered).

    Meant for JSON, which ignores the trailing spaces when it is read back.
    """
    size = minimum
    while size < len(plaintext):
        size *= 2
    return plaintext + b" " * (size - len(plaintext))
