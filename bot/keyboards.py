"""Inline keyboards and their callback data.

Every button carries the conversation's step number. A press whose step is not the current
one (an old message, a second tap on the same button) is answered with a notice and never
recorded; data that does not parse is a forged or foreign button.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from surveys.model import Question, QuestionType
from surveys.text import localise

MAX_LABEL = 60


class Btn(CallbackData, prefix="fv"):
    step: int
    kind: str
    value: str = ""


def button(text: str, step: int, kind: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=Btn(step=step, kind=kind, value=value).pack()
    )


def rows(*rows_: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(r) for r in rows_ if r])


def choice_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def question_keyboard(
    question: Question,
    step: int,
    language: str,
    *,
    can_go_back: bool,
    selected: Sequence[str] = (),
) -> InlineKeyboardMarkup | None:
    """Buttons for a question, in order; option buttons carry the option's index."""
    options = question.choices()
    layout: list[list[InlineKeyboardButton]] = []
    if question.type == QuestionType.SCALE_0_10:
        numbers = [button(o.key, step, "ans", str(i)) for i, o in enumerate(options[:11])]
        layout += [numbers[:6], numbers[6:]]
        layout += [
            [button(localise(o.text, language), step, "ans", str(i))]
            for i, o in enumerate(options)
            if i >= 11
        ]
    elif question.type == QuestionType.YES_NO:
        answers = [
            button(localise(o.text, language), step, "ans", str(i)) for i, o in enumerate(options)
        ]
        layout += [answers[:2], answers[2:]]
    elif question.type == QuestionType.MULTIPLE_CHOICE:
        for i, option in enumerate(options):
            mark = "☑ " if option.key in selected else "☐ "
            layout.append(
                [button(mark + choice_label(localise(option.text, language)), step, "tog", str(i))]
            )
        layout.append([button(t("done", language), step, "done")])
    elif question.type != QuestionType.FREE_TEXT:
        layout += [
            [button(choice_label(localise(o.text, language)), step, "ans", str(i))]
            for i, o in enumerate(options)
        ]
    navigation = []
    if can_go_back:
        navigation.append(button(t("back", language), step, "back"))
    if question.optional or question.equality:
        navigation.append(button(t("skip", language), step, "skip"))
    layout.append(navigation)
    markup = rows(*layout)
    return markup if markup.inline_keyboard else None
