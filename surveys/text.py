"""Translatable text: plain English or a mapping of language code to text."""

from __future__ import annotations

import re
from collections.abc import Mapping

DEFAULT_LANGUAGE = "en"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

# A normalised text is a plain dict that always holds "en".
Text = dict[str, str]


def normalise_text(value: object) -> Text:
    """Turn a YAML value (a string or a language mapping) into a Text, or raise ValueError."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("text is empty")
        return {DEFAULT_LANGUAGE: value}
    if isinstance(value, Mapping):
        out: Text = {}
        for lang, text in value.items():
            if not isinstance(lang, str) or not LANGUAGE_CODE.match(lang):
                raise ValueError(f"{lang!r} is not a language code (use e.g. 'en' or 'cy')")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text for language {lang!r} is empty or not a string")
            out[lang] = text
        if DEFAULT_LANGUAGE not in out:
            raise ValueError("English text ('en') is required")
        return out
    raise ValueError("expected a string or a mapping of language code to text")


def localise(text: Mapping[str, str], language: str | None) -> str:
    """Pick the text for a language, falling back to its base language, then English."""
    if language:
        if language in text:
            return text[language]
        base = language.split("-", 1)[0].lower()
        if base in text:
            return text[base]
    return text[DEFAULT_LANGUAGE]
