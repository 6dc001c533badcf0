"""/progress: released response counts during an open wave, for role holders.

A role holder sees, for the open waves their role covers, how many responses have been
released so far for their unit and the units directly below it, with rates and the days
left (surveys/progress.py has the rules: whole batches only, nothing under k_unit, no
count for a watch on its own). Every count shown is recorded by pool in the press's own
transaction (storage/progress.py), and the wave's disclosure audit treats it as published;
the view goes in the access log like any other.
"""

from __future__ import annotations

from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from analysis.released import covering_open_waves, wave_title
from bot.chat import Chat
from bot.i18n import t
from bot.keyboards import choice_label
from bot.results import held_grant, holder
from storage import progress as stored
from storage import roles
from storage.models import Wave
from surveys import progress
from surveys.access import Grant, by_precedence
from surveys.cadence import uk_today

MAX_CHILDREN = 40


class Prog(CallbackData, prefix="fg"):
    """A progress button: the role (r), the wave (w) and the unit (u). Checked again on
    every press; nothing in it is trusted."""

    r: int
    w: int = 0
    u: str = ""


def _button(text: str, **data: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=choice_label(text), callback_data=Prog(**data).pack())


async def _waves(chat: Chat, grant: Grant) -> list[Wave]:
    return await covering_open_waves(chat.uow, grant, today=uk_today())


async def command(chat: Chat) -> None:
    language = await chat.language()
    grants = by_precedence(await roles.grants_of(chat.uow, holder(chat)))
    if not grants:
        await chat.send(t("progress_no_role", language))
        return
    if len(grants) > 1:
        rows = [[_button(g.label, r=g.id)] for g in grants]
        await chat.send(
            t("results_choose_role", language), InlineKeyboardMarkup(inline_keyboard=rows)
        )
        return
    await _choose_wave(chat, grants[0], language)


async def _choose_wave(chat: Chat, grant: Grant, language: str) -> None:
    waves = await _waves(chat, grant)
    if not waves:
        unit = await chat.uow.units.by_code(grant.unit)
        await chat.send(t("progress_none", language, unit=unit.name if unit else grant.unit))
        return
    if len(waves) == 1:
        await _show(chat, grant, waves[0], grant.unit, language)
        return
    rows = [
        [_button(f"{wave_title(w, language)}: {w.label}", r=grant.id, w=w.id, u=grant.unit)]
        for w in waves
    ]
    await chat.send(t("progress_choose_wave", language), InlineKeyboardMarkup(inline_keyboard=rows))


def when_it_closes(wave: Wave, today: date, language: str) -> str:
    """The wave's closing day and the days left (chat and dashboard alike)."""
    left = progress.days_left(wave.closes_on, today)
    if left is None or wave.closes_on is None:
        return t("progress_no_close", language)
    day = f"{wave.closes_on:%d %b %Y}"
    return t("progress_left" if left > 1 else "progress_last_day", language, day=day, n=left)


def _line(row: progress.ProgressRow, k_unit: int, language: str) -> str:
    indent = "• " if row.depth == 0 else "    ◦ "
    if row.count is None:
        return indent + t("progress_under", language, unit=row.name, k=k_unit)
    if row.rate is not None:
        return indent + t(
            "progress_rate", language, unit=row.name, n=row.count, of=row.headcount, rate=row.rate
        )
    return indent + t("progress_count", language, unit=row.name, n=row.count)


async def _show(chat: Chat, grant: Grant, wave: Wave, scope: str, language: str) -> None:
    today = uk_today()
    shown = await stored.view(chat.uow, wave, scope, today, role_unit=grant.unit)
    if shown is None:
        await chat.send(t("results_out_of_role", language))
        return
    tree, rows = shown
    roles.record(
        chat.uow,
        grant,
        survey_key=wave.survey_key,
        wave_id=wave.id,
        scope=scope,
        fmt="progress",
        day=today,
    )
    lines = [
        t("progress_heading", language, survey=wave_title(wave, language), wave=wave.label),
        when_it_closes(wave, today, language),
        "",
    ]
    if tree.counted(scope):
        lines += [_line(row, wave.k_unit, language) for row in rows[: 1 + MAX_CHILDREN]]
    else:
        lines.append(t("progress_watch", language))
    lines += ["", t("progress_batches", language, b=chat.app.batching.size_for(wave))]
    buttons = [
        _button(row.name, r=grant.id, w=wave.id, u=row.code)
        for row in rows[1 : 1 + MAX_CHILDREN]
        if row.drill
    ]
    keyboard = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    parent = tree.units[scope].parent
    if scope != grant.unit and parent is not None:
        up = t("results_up", language, scope=tree.units[parent].name)
        keyboard.append([_button(up, r=grant.id, w=wave.id, u=parent)])
    keyboard.append([_button(t("progress_refresh", language), r=grant.id, w=wave.id, u=scope)])
    await chat.send("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=keyboard))


async def press(chat: Chat, data: Prog) -> None:
    """A progress button: checked against the roles held now and the waves open now."""
    language = await chat.language()
    grant = await held_grant(chat, data.r)
    if grant is None:
        await chat.send(t("results_out_of_role", language))
        return
    if not data.w:
        await _choose_wave(chat, grant, language)
        return
    wave = next((w for w in await _waves(chat, grant) if w.id == data.w), None)
    if wave is None:
        await chat.send(t("progress_closed", language))
        return
    await _show(chat, grant, wave, data.u or grant.unit, language)
