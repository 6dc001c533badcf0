"""Signed deep-link payloads: which survey (and unit) a /start link opens, or which role
invitation it carries.

Telegram allows up to 64 characters of A-Z a-z 0-9 _ - after /start, so the payload is
base64url of "survey|unit" followed by a truncated HMAC. An edited payload fails the
signature check and is refused, so nobody can answer "for" another station by editing a link.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

from surveys.pseudonym import LINK_PURPOSE, derive_key

MAX_PAYLOAD = 64
SIGNATURE_BYTES = 9  # 72 bits: 12 base64url characters, no padding
SIGNATURE_CHARS = 12
PAYLOAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
VERSION = "1"
ROLE_TICKET = "r"  # in place of the version: a role invitation (surveys/access.py)


class LinkError(ValueError):
    """A payload that is too long, malformed or not signed by this deployment."""


@dataclass(frozen=True)
class LinkTarget:
    survey_key: str
    unit_code: str | None


@dataclass(frozen=True)
class RoleTicket:
    """A role invitation: the role's id and the random part stored with it (single use)."""

    role_id: int
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, body: str) -> str:
    key = derive_key(secret, LINK_PURPOSE)
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES])


def make_payload(secret: bytes, target: LinkTarget) -> str:
    data = f"{VERSION}|{target.survey_key}|{target.unit_code or ''}".encode()
    body = _b64(data)
    payload = body + _signature(secret, body)
    if len(payload) > MAX_PAYLOAD:
        room = (MAX_PAYLOAD - SIGNATURE_CHARS) * 3 // 4 - 3
        raise LinkError(
            f"the link would be {len(payload)} characters but Telegram allows {MAX_PAYLOAD}: "
            f"survey key and unit code together may have at most {room} characters"
        )
    return payload


def make_role_payload(secret: bytes, ticket: RoleTicket) -> str:
    body = _b64(f"{ROLE_TICKET}|{ticket.role_id}|{ticket.nonce}".encode())
    payload = body + _signature(secret, body)
    if len(payload) > MAX_PAYLOAD:  # a nonce of 11 characters and any sane id fit
        raise LinkError(f"the invitation would be {len(payload)} characters long")
    return payload


def read_payload(secret: bytes, payload: str) -> LinkTarget | RoleTicket:
    """Check the signature and return the target; raises LinkError for anything else."""
    if not PAYLOAD_PATTERN.match(payload) or len(payload) <= SIGNATURE_CHARS:
        raise LinkError("not a survey link")
    body, signature = payload[:-SIGNATURE_CHARS], payload[-SIGNATURE_CHARS:]
    if not hmac.compare_digest(signature, _signature(secret, body)):
        raise LinkError("the link has been changed or belongs to another deployment")
    try:
        version, survey_key, unit_code = _unb64(body).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise LinkError("not a survey link") from None
    if version == ROLE_TICKET and survey_key.isdigit() and unit_code:
        return RoleTicket(int(survey_key), unit_code)
    if version != VERSION:
        raise LinkError("the link is from an unsupported version")
    return LinkTarget(survey_key, unit_code or None)
