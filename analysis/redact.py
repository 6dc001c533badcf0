"""Removing obvious identifiers from free-text comments before anyone sees them.

This catches the common cases (e-mail addresses, phone numbers, postcodes, @handles,
call signs, ranks or titles followed by a name). It cannot catch every way of naming a
person, which is why comments are also only shown for groups of at least ten people.
"""

from __future__ import annotations

import re

REDACTED = "[removed]"

_PATTERNS = [
    # e-mail addresses
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    # @handles (Telegram, social media)
    re.compile(r"(?<!\w)@\w{3,}"),
    # UK phone numbers: 07700 900123, +44 7700 900123, 01632 960 001, (0161) 496 0000
    re.compile(r"(?:\+44\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}"),
    # UK postcodes
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    # call signs and appliance/station ids mixing letters and digits (E12P1, W21, A1234)
    re.compile(r"\b(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z\d]{2,4}\d[A-Z\d]{0,4}\b"),
    # a rank or title followed by a capitalised name: "WM Jones", "Watch Manager Jones",
    # "Mrs Patel", "firefighter Smith"
    re.compile(
        r"\b(?i:Mr|Mrs|Ms|Miss|Dr|FF|CM|WM|SM|GM|AM|DCFO|CFO|ACFO|Firefighter|"
        r"(?:Crew|Watch|Station|Group|Area) Manager|Chief|Officer)\.?\s+[A-Z][a-z'-]+"
        r"(?:\s+[A-Z][a-z'-]+)?"
    ),
]


def redact(text: str) -> str:
    """The comment with identifiers replaced by [removed]."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text
