"""Keyed pseudonyms for people, so participation can be checked without storing who they are."""

from __future__ import annotations

import functools
import hashlib
import hmac

# Separate keys for separate purposes, all derived from the one configured secret, so a
# pseudonym can never be replayed as a link signature or the other way round.
PSEUDONYM_PURPOSE = b"firevoice/pseudonym/v1"
LINK_PURPOSE = b"firevoice/deeplink/v1"
# Role holders (surveys/access.py): a different key, so a role holder's key and their
# respondent pseudonym cannot be matched without the secret.
ROLE_PURPOSE = b"firevoice/role-holder/v1"


@functools.lru_cache(maxsize=64)  # a handful of purposes per secret, asked on every tap
def derive_key(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, purpose, hashlib.sha256).digest()


def per_person(secret: bytes, purpose: bytes, channel: str, user_id: int | str) -> bytes:
    """HMAC-SHA256 of a channel user id under the key for one purpose."""
    key = derive_key(secret, purpose)
    return hmac.new(key, f"{channel}:{user_id}".encode(), hashlib.sha256).digest()


def pseudonym(secret: bytes, channel: str, user_id: int | str) -> str:
    """HMAC-SHA256 of a channel user id; without the secret it cannot be reversed or guessed.

    A plain hash of a Telegram id could be reversed by hashing every possible id, which is
    why the key is required.
    """
    return per_person(secret, PSEUDONYM_PURPOSE, channel, user_id).hex()


def role_holder(secret: bytes, channel: str, user_id: int | str) -> str:
    """Who holds a role: an HMAC of their channel id that is not their pseudonym."""
    return per_person(secret, ROLE_PURPOSE, channel, user_id).hex()
