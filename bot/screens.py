"""What a person sees at each point of the conversation: texts and their buttons.

Pure functions of what they are given (no I/O, no database): bot/conversation.py decides
what to show and sends it. Every button carries the screen's step (bot/keyboards.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.keyboards import button, rows
from bot.settings import Settings
from storage.services import UnitInfo
from surveys import engine
from surveys.dialogue import Phase, Press
from surveys.engine import Answer, State
from surveys.model import Question, QuestionType, Survey
from surveys.text import localise

UNITS_PER_PAGE = 8
MAX_SEARCH_RESULTS = 8

Screen = tuple[str, InlineKeyboardMarkup | None]


def privacy_notice(settings: Settings, k_unit: int, k_char: int, language: str) -> str:
    """The notice with this deployment's real thresholds and retention periods."""
    return t(
        "privacy",
        language,
        k_unit=k_unit,
        k_char=k_char,
        conversation_days=settings.retention_conversation_days,
        person_days=settings.retention_person_days,
    )


# The yes/no questions on the way to a survey: (question, yes, no, button kind).
CHOICES: dict[Phase, tuple[str, str, str, Press]] = {
    Phase.CONSENT: ("consent_question", "consent_agree", "consent_later", Press.CONSENT),
    Phase.CONTACT: ("contact_question", "contact_yes", "contact_no", Press.CONTACT),
    Phase.MONITORING_OFFER: (
        "monitoring_offer",
        "monitoring_yes",
        "monitoring_skip",
        Press.MONITORING,
    ),
}


def choice(phase: Phase, step: int, language: str) -> Screen:
    question, yes, no, kind = CHOICES[phase]
    return t(question, language), rows(
        [button(t(yes, language), step, kind, "yes"), button(t(no, language), step, kind, "no")]
    )


def chosen(phase: Phase, yes: bool, language: str) -> str:
    """A yes/no question with the answer given in place of its buttons."""
    question, yes_label, no_label, _ = CHOICES[phase]
    return t(question, language) + "\n✔ " + t(yes_label if yes else no_label, language)


def unit_page(
    roots: Sequence[str],
    units: Mapping[str, UnitInfo],
    node: str | None,
    page: int,
    step: int,
    language: str,
) -> Screen:
    """One page of the units under `node` (the audience's roots when None)."""
    codes = list(units[node].children) if node else list(roots)
    shown = codes[page * UNITS_PER_PAGE : (page + 1) * UNITS_PER_PAGE]
    layout: list[list[InlineKeyboardButton]] = []
    for code in shown:
        unit = units[code]
        kind = Press.UNIT_OPEN if unit.children else Press.UNIT_PICK
        layout.append([button(unit.name + (" »" if unit.children else ""), step, kind, code)])
    paging = []
    if page > 0:
        paging.append(button(t("unit_prev", language), step, Press.UNIT_PAGE, str(page - 1)))
    if (page + 1) * UNITS_PER_PAGE < len(codes):
        paging.append(button(t("unit_more", language), step, Press.UNIT_PAGE, str(page + 1)))
    layout.append(paging)
    if node is not None and units[node].kind != "service":
        here = t("pick_unit_here", language, name=units[node].name)
        layout.append([button(here, step, Press.UNIT_PICK, node)])
    parent = units[node].parent_code if node else None
    if node is not None and parent is not None and parent in units:
        layout.append([button(t("unit_up", language), step, Press.UNIT_OPEN, parent)])
    text = t("pick_unit", language)
    if node is not None:
        text = f"{units[node].name}\n\n{text}"
    return text, rows(*layout)


def unit_search(units: Mapping[str, UnitInfo], search: str, step: int, language: str) -> Screen:
    """The units whose name or code contains what the person typed (no buttons: none)."""
    query = search.strip().lower()
    shown_query = search.strip()[:50]
    found = [
        u
        for u in sorted(units.values(), key=lambda u: u.name.lower())
        if query in u.name.lower() or query in u.code.lower()
    ][:MAX_SEARCH_RESULTS]
    if not found:
        return t("unit_search_none", language, query=shown_query), None
    layout = [[button(u.name, step, Press.UNIT_PICK, u.code)] for u in found]
    return t("unit_search_results", language, query=shown_query), rows(*layout)


def format_answer(question: Question, value: Answer, language: str) -> str:
    if value is None:
        return t("skipped", language)
    if question.type == QuestionType.FREE_TEXT:
        text = str(value)
        shown = text if len(text) <= 200 else text[:199] + "…"
        return t("your_answer", language, answer=shown)
    labels = {o.key: localise(o.text, language) for o in question.choices()}
    if isinstance(value, tuple):
        answer = ", ".join(labels.get(v, v) for v in value)
    else:
        answer = labels.get(str(value), str(value))
    return t("your_answer", language, answer=answer)


def question_text(survey: Survey, state: State, question: Question, language: str) -> str:
    number, total = engine.progress(survey, state)
    parts = [t("progress", language, n=number, total=total), "", localise(question.text, language)]
    if question.help:
        parts.append(localise(question.help, language))
    if question.type == QuestionType.MULTIPLE_CHOICE:
        parts.append(
            t("hint_multi_max", language, max=question.max_choices)
            if question.max_choices
            else t("hint_multi", language)
        )
    elif question.type == QuestionType.FREE_TEXT:
        parts.append(t("hint_text", language, max=question.max_length))
    return "\n".join(parts)


def profile(survey: Survey, state: State, language: str) -> str:
    """A person's equality answers, one question to a line."""
    lines = [
        f"• {localise(question.text, language)}\n  "
        + format_answer(question, state.answers[question.key], language).split(": ", 1)[-1]
        for question in survey.questions
        if question.key in state.answers
    ]
    return t("profile_show", language, lines="\n".join(lines) or t("not_answered", language))
