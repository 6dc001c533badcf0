"""The bot's command menu: everyone's, and a role holder's (which adds /results and
/progress, and /dashboard where the service runs the web dashboard).

A command appears in a person's menu only if they may use it: the default menu has the
respondent's commands; a role holder's private chat gets its own menu with /results when
the role is bound, and loses it when the role is revoked (bot housekeeping).
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat

from bot.i18n import SUPPORTED, t

COMMANDS = [
    ("start", "cmd_start"),
    ("privacy", "cmd_privacy"),
    ("profile", "cmd_profile"),
    ("language", "cmd_language"),
    ("cancel", "cmd_cancel"),
    ("stop", "cmd_stop"),
    ("delete_my_data", "cmd_delete"),
    ("help", "cmd_help"),
]
ROLE_COMMANDS = [("results", "cmd_results"), ("progress", "cmd_progress")]
DASHBOARD_COMMANDS = [("dashboard", "cmd_dashboard")]


def commands(language: str, *, role: bool = False, dashboard: bool = False) -> list[BotCommand]:
    chosen = (ROLE_COMMANDS if role else []) + (DASHBOARD_COMMANDS if dashboard else []) + COMMANDS
    return [BotCommand(command=c, description=t(key, language)) for c, key in chosen]


def _code(language: str) -> str | None:
    return None if language == "en" else language


async def set_default(bot: Bot) -> None:
    for language in SUPPORTED:
        await bot.set_my_commands(commands(language), language_code=_code(language))


async def set_for_role_holder(bot: Bot, chat_id: int, *, dashboard: bool) -> None:
    """/results and /progress (and /dashboard, where the service runs it) in this chat's
    menu."""
    scope = BotCommandScopeChat(chat_id=chat_id)
    for language in SUPPORTED:
        await bot.set_my_commands(
            commands(language, role=True, dashboard=dashboard),
            scope=scope,
            language_code=_code(language),
        )


async def clear_for(bot: Bot, chat_id: int) -> None:
    """Back to the default menu in this chat."""
    scope = BotCommandScopeChat(chat_id=chat_id)
    for language in SUPPORTED:
        await bot.delete_my_commands(scope=scope, language_code=_code(language))
