"""The bot's own texts (English). Welsh and per-language selection come with the chat flow."""

from __future__ import annotations

PRIVACY_NOTICE = (
    "How your answers are protected\n\n"
    "What we collect: your answers, and if you choose, equality monitoring answers "
    "(age band, sex, ethnicity and similar). We never store your name, phone number or "
    "Telegram username with your answers, and we keep only the date, not the time.\n\n"
    "Why: to check the service treats staff and communities fairly (equality monitoring "
    "under the Data Protection Act 2018, Schedule 1 paragraph 8). It is never used for "
    "decisions about you.\n\n"
    "Who sees what: only totals for groups of at least 5 people (10 for equality groups "
    "and comments). Nobody, including managers and administrators, can see your answers.\n\n"
    "How long: unfinished answers and contact details are deleted when they expire; "
    "submitted answers cannot be traced back to you and are kept for reporting.\n\n"
    "Your choices: every question about you is optional. You can object or ask for "
    "everything linked to you to be erased at any time."
)

HELP = (
    "This bot runs anonymous surveys for your fire and rescue service.\n\n"
    "To take part, open the survey link or scan the QR code you were given.\n"
    "/privacy explains how your answers are protected."
)
