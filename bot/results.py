"""Results in the chat for role holders: binding a role, /results and its buttons.

A manager or network lead gets their unit's summary of the latest released wave (plain
words, a chart, a button for the full PDF and one for earlier waves); an officer or admin
chooses the survey, the wave and the scope, then a file. Every figure comes from a view
of the wave's stored publication (analysis/views.py): nothing here reads responses, and
nothing here releases a wave. Every press is checked again against the roles the person
holds now (a forged or stale button gets a polite refusal), and every view or download is
written to the access log in the press's own transaction.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)

from analysis import report, views
from analysis.charts import items_chart
from analysis.released import Released, covering, covering_waves
from analysis.summary import Summary, summarise
from analysis.tables import Tables
from bot import menus
from bot.chat import Chat
from bot.i18n import t
from bot.keyboards import choice_label
from storage import dashboard, roles
from surveys import sealing
from surveys.access import Grant, by_precedence
from surveys.cadence import uk_today
from surveys.links import RoleTicket
from surveys.pseudonym import role_holder
from surveys.text import localise

log = logging.getLogger("firevoice.results")

FILE_FORMATS = ("pdf", "xlsx", "csv")
MAX_CHILDREN = 40  # units to drill into from one scope


class Res(CallbackData, prefix="fr"):
    """A results button: what it does (a), the role (r), the wave (w), the unit (u) and a
    value (v). Checked again on every press; nothing in it is trusted."""

    a: str  # g role | s survey | w wave | u scope | m summary | e earlier | f file
    r: int
    w: int = 0
    u: str = ""
    v: str = ""


def _button(text: str, **data: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=choice_label(text), callback_data=Res(**data).pack())


def _keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[r for r in rows if r])


def holder(chat: Chat) -> str:
    return role_holder(chat.app.secret, "telegram", chat.user_id)


# --- binding a role -------------------------------------------------------------------------


async def bind(chat: Chat, ticket: RoleTicket) -> None:
    """Someone opened a role invitation: give them the role if it still may be given."""
    language = await chat.language()
    box = sealing.role_box(ticket.role_id)
    sealed = sealing.seal_value(sealing.contact_key(chat.app.secret), chat.chat_id, box)
    outcome, row = await roles.bind(
        chat.uow, ticket, holder(chat), sealed, now=time.time(), today=uk_today()
    )
    if outcome != roles.Bound.BOUND or row is None:
        await chat.send(t(f"role_{outcome.value}", language))
        return
    unit = await chat.uow.units.by_code(row.unit_code)
    await chat.send(
        t(
            "role_bound",
            language,
            label=row.label,
            role=t(f"role_{row.role}", language),
            unit=unit.name if unit else row.unit_code,
        )
    )
    log.info("role %s (%s) was bound to the person who opened its invitation", row.id, row.role)

    async def menu() -> None:
        await menus.set_for_role_holder(
            chat.bot, chat.chat_id, dashboard=bool(chat.app.settings.dashboard_url)
        )

    chat.tap.reply(menu)


# --- /dashboard ----------------------------------------------------------------------------


async def dashboard_link(chat: Chat) -> None:
    """A single-use sign-in link to the web dashboard for each role the person holds,
    with link previews off (a preview fetch would not use it up anyway: web/app.py)."""
    language = await chat.language()
    grants = by_precedence(await roles.grants_of(chat.uow, holder(chat)))
    if not grants:
        await chat.send(t("results_no_role", language))
        return
    base = chat.app.settings.dashboard_url
    if not base:
        await chat.send(t("dashboard_off", language))
        return
    texts = []
    for grant in grants:
        token = await dashboard.issue_ticket(chat.uow, grant.id, now=time.time())
        url = f"{base}/dashboard/signin?t={token}"
        texts.append(t("dashboard_link", language, label=grant.label, url=url))
    bot, chat_id = chat.bot, chat.chat_id

    async def send() -> None:
        for text in texts:
            await bot.send_message(
                chat_id, text, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )

    chat.tap.reply(send)


# --- what a role may see --------------------------------------------------------------------


async def held_grant(chat: Chat, role_id: int) -> Grant | None:
    """The role with this id, if the person holds it now."""
    for grant in await roles.grants_of(chat.uow, holder(chat)):
        if grant.id == role_id:
            return grant
    return None


async def _refuse(chat: Chat, language: str) -> None:
    await chat.send(t("results_out_of_role", language))


# --- /results -------------------------------------------------------------------------------


async def command(chat: Chat) -> None:
    language = await chat.language()
    grants = by_precedence(await roles.grants_of(chat.uow, holder(chat)))
    if not grants:
        await chat.send(t("results_no_role", language))
        return
    if len(grants) > 1:
        rows = [[_button(g.label, a="g", r=g.id)] for g in grants]
        await chat.send(t("results_choose_role", language), _keyboard(rows))
        return
    await _open(chat, grants[0], language)


async def _open(chat: Chat, grant: Grant, language: str) -> None:
    if grant.at_desk:
        await _choose_survey(chat, grant, language)
    else:
        await _latest_summary(chat, grant, language)


async def _nothing_yet(chat: Chat, grant: Grant, language: str) -> None:
    unit = await chat.uow.units.by_code(grant.unit)
    await chat.send(t("results_none", language, unit=unit.name if unit else grant.unit))


async def _latest_summary(chat: Chat, grant: Grant, language: str) -> None:
    waves = await covering_waves(chat.uow, grant)
    if not waves:
        await _nothing_yet(chat, grant, language)
        return
    await _summary(chat, grant, waves[0], grant.unit, language)


async def _choose_survey(chat: Chat, grant: Grant, language: str) -> None:
    waves = await covering_waves(chat.uow, grant)
    if not waves:
        await _nothing_yet(chat, grant, language)
        return
    surveys: dict[str, str] = {}
    for found in waves:
        surveys.setdefault(found.wave.survey_key, found.title(language))
    if len(surveys) == 1:
        await _choose_wave(chat, grant, next(iter(surveys)), language)
        return
    rows = [[_button(title, a="s", r=grant.id, v=key)] for key, title in surveys.items()]
    await chat.send(t("results_choose_survey", language), _keyboard(rows))


async def _choose_wave(chat: Chat, grant: Grant, survey_key: str, language: str) -> None:
    waves = await covering_waves(chat.uow, grant, survey_key)
    if not waves:
        await _refuse(chat, language)
        return
    rows = [
        [_button(f"{r.wave.label} ({r.wave.opens_on:%b %Y})", a="w", r=grant.id, w=r.wave.id)]
        for r in waves
    ]
    await chat.send(
        t("results_choose_wave", language, survey=waves[0].title(language)), _keyboard(rows)
    )


async def _scope(chat: Chat, grant: Grant, released: Released, scope: str, language: str) -> None:
    tree = views.Tree(released.publication)
    wave_id = released.wave.id
    files = [
        _button(t(f"results_{fmt}", language), a="f", r=grant.id, w=wave_id, u=scope, v=fmt)
        for fmt in FILE_FORMATS
    ]
    rows = [[_button(t("results_summary_button", language), a="m", r=grant.id, w=wave_id, u=scope)]]
    rows += [files[:1], files[1:]]
    children = sorted(tree.children.get(scope, []))[:MAX_CHILDREN]
    names = [tree.units[c].name for c in children]
    unit_buttons = [
        _button(name, a="u", r=grant.id, w=wave_id, u=code)
        for code, name in zip(children, names, strict=True)
    ]
    rows += [unit_buttons[i : i + 2] for i in range(0, len(unit_buttons), 2)]
    parent = tree.units[scope].parent
    if scope != grant.unit and parent is not None:
        rows.append(
            [
                _button(
                    t("results_up", language, scope=tree.units[parent].name),
                    a="u",
                    r=grant.id,
                    w=wave_id,
                    u=parent,
                )
            ]
        )
    text = t(
        "results_scope",
        language,
        survey=released.title(language),
        wave=released.wave.label,
        scope=tree.units[scope].name,
    )
    await chat.send(text, _keyboard(rows))


# --- a summary ------------------------------------------------------------------------------


def _record(chat: Chat, grant: Grant, released: Released, scope: str, what: str) -> None:
    """The view or file goes in the access log, in this press's transaction."""
    roles.record(
        chat.uow,
        grant,
        survey_key=released.wave.survey_key,
        wave_id=released.wave.id,
        scope=scope,
        fmt=what,
        day=uk_today(),
    )


def _view(released: Released, scope: str, language: str) -> Tables:
    return views.tables(released.publication, scope=scope, today=uk_today(), language=language)


def summary_text(summary: Summary, survey_title: str, language: str) -> str:
    """A unit's summary in plain words; every number is one the publication shows."""
    lines = [
        t(
            "results_heading",
            language,
            survey=survey_title,
            wave=summary.wave_label,
            scope=summary.scope_name,
        ),
        "",
    ]
    if summary.respondents is None:
        lines.append(t("results_rate_hidden", language))
    elif summary.rate is not None:
        headcount = round(summary.respondents * 100 / summary.rate) if summary.rate else 0
        lines.append(
            t(
                "results_rate",
                language,
                n=summary.respondents,
                rate=summary.rate,
                headcount=headcount,
            )
        )
    else:
        lines.append(t("results_count", language, n=summary.respondents))
    if not summary.items:
        lines += ["", t("results_no_items", language)]
    else:
        lines += ["", t("results_strongest", language)]
        lines += [f"• {localise(i.text, language)}: {i.value:.0f}%" for i in summary.strongest]
        if summary.weakest:
            lines += ["", t("results_weakest", language)]
            lines += [f"• {localise(i.text, language)}: {i.value:.0f}%" for i in summary.weakest]
    if summary.previous_label is not None and summary.items:
        changes = summary.changes
        if changes:
            points = t("results_points", language)
            lines += ["", t("results_since", language, previous=summary.previous_label)]
            lines += [f"• {localise(i.text, language)}: {i.change:+.0f} {points}" for i in changes]
        else:
            lines += ["", t("results_no_change", language, previous=summary.previous_label)]
    if summary.gaps:
        lines += ["", t("results_gaps", language)]
        lines += [
            "• "
            + t(
                "results_gap",
                language,
                question=localise(g.question, language).rstrip("."),
                group=g.group,
                value=g.value,
                rest=g.rest_value,
            )
            for g in summary.gaps[:5]
        ]
    else:
        lines += ["", t("results_no_gaps", language)]
    return "\n".join(lines)


def _chart_maker(
    tables: Tables, summary: Summary, language: str
) -> Callable[[], tuple[bytes, str]]:
    """What draws the summary's chart (off the event loop): the unit's agreement items,
    with the whole wave's figure beside each where the publication shows it."""
    results = tables.results
    whole = results[(results["breakdown"] == "all") & ~results["suppressed"]]
    service = dict(zip(whole["question"], whole["pct_favourable"], strict=True))
    whole_wave = summary.scope is not None and any(
        summary.scope == code and parent == ""
        for code, parent in zip(
            tables.response_rates["unit"], tables.response_rates["parent"], strict=True
        )
    )

    def draw() -> tuple[bytes, str]:
        chart = items_chart(
            t("results_chart_title", language, scope=summary.scope_name),
            [localise(i.text, language) for i in summary.items],
            [i.value for i in summary.items],
            [None if whole_wave else service.get(i.key) for i in summary.items],
            t("results_chart_service", language),
        )
        return chart.png, chart.alt

    return draw


async def _summary(chat: Chat, grant: Grant, released: Released, scope: str, language: str) -> None:
    tables = _view(released, scope, language)
    summary = summarise(tables)
    _record(chat, grant, released, scope, "summary")
    if summary.items:
        draw = _chart_maker(tables, summary, language)
        bot, chat_id = chat.bot, chat.chat_id

        async def photo() -> None:
            png, alt = await report.off_loop(draw)
            await bot.send_photo(chat_id, BufferedInputFile(png, "results.png"), caption=alt[:1024])

        chat.tap.reply(photo)
    wave_id = released.wave.id
    rows = [[_button(t("results_pdf", language), a="f", r=grant.id, w=wave_id, u=scope, v="pdf")]]
    if not grant.at_desk:  # desk roles choose waves from /results itself
        rows.append([_button(t("results_earlier", language), a="e", r=grant.id)])
    await chat.send(summary_text(summary, released.title(language), language), _keyboard(rows))


# --- a file ---------------------------------------------------------------------------------


async def _file(
    chat: Chat, grant: Grant, released: Released, scope: str, fmt: str, language: str
) -> None:
    tables = _view(released, scope, language)
    _record(chat, grant, released, scope, fmt)
    caption = t(
        "results_document",
        language,
        survey=released.title(language),
        wave=released.wave.label,
        scope=tables.scope_name,
    )
    bot, chat_id = chat.bot, chat.chat_id

    async def document() -> None:
        with contextlib.suppress(TelegramAPIError):  # only a courtesy
            await bot.send_chat_action(chat_id, "upload_document")
        data = await report.off_loop(report.render, tables, fmt)
        await bot.send_document(
            chat_id, BufferedInputFile(data, report.file_name(tables, fmt)), caption=caption
        )

    chat.tap.reply(document)


# --- presses --------------------------------------------------------------------------------


async def press(chat: Chat, data: Res) -> None:
    """A results button: checked against the roles held now, then done."""
    language = await chat.language()
    grant = await held_grant(chat, data.r)
    if grant is None:
        await _refuse(chat, language)
        return
    if data.a == "g":
        await _open(chat, grant, language)
        return
    if data.a == "s":
        await _choose_wave(chat, grant, data.v, language)
        return
    if data.a == "e":
        waves = await covering_waves(chat.uow, grant)
        if not waves:
            await _nothing_yet(chat, grant, language)
            return
        rows = [
            [
                _button(
                    f"{r.wave.label} ({r.wave.opens_on:%b %Y})",
                    a="m",
                    r=grant.id,
                    w=r.wave.id,
                    u=grant.unit,
                )
            ]
            for r in waves
        ]
        await chat.send(
            t("results_choose_wave", language, survey=waves[0].title(language)), _keyboard(rows)
        )
        return
    found = await covering(chat.uow, grant, data.w)
    scope = data.u or grant.unit
    if found is None or not found.in_scope(grant, scope):
        await _refuse(chat, language)
        return
    if data.a == "w":
        await _scope(chat, grant, found, grant.unit, language)
    elif data.a == "u" and grant.at_desk:
        await _scope(chat, grant, found, scope, language)
    elif data.a == "m":
        await _summary(chat, grant, found, scope, language)
    elif data.a == "f" and data.v in FILE_FORMATS:
        await _file(chat, grant, found, scope, data.v, language)
    else:
        await _refuse(chat, language)
