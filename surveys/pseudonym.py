"""Keyed pseudonyms for people, so participation can be checked without storing who they are."""

from __future__ import annotations

import hashlib
import hmac

# Separate keys for separate purposes, all derived from the one configured secret, so a
# pseudonym can never be replayed as a link signature or the other way round.
PSEUDONYM_PURPOSE = b"firevoice/pseudonym/v1"
LINK_PURPOSE = b"firevoice/deeplink/v1"


def derive_key(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, purpose, hashlib.sha256).digest()


def pseudonym(secret: bytes, channel: str, user_id: int | str) -> str:
    """HMAC-SHA256 of a channel user id; without the secret it cannot be reversed or guessed.

    A plain hash of a Telegram id could be reversed by hashing every possible id, which is
    why the key is required.
    """
    key = derive_key(secret, PSEUDONYM_PURPOSE)
    message = f"{channel}:{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
