""" "You said, we did": the texts of follow-up messages, and sending them from the outbox.

After a wave is released, an officer can approve a short message to the people invited
in its audience: what was heard (a few figures of their unit, read from the wave's
stored publication) and what is being done (the unit's actions in the improvement
register). After an action is marked done, a message saying so. The officer approves the
exact texts (managers' notes are free text); storage/followups.py stores them as
approved and queues them, and the outbox sends each person the text for their home unit,
or for the nearest unit above it with figures to tell, in their language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis import views
from analysis.publication import Publication
from analysis.summary import Summary, summarise
from bot.i18n import SUPPORTED, t
from storage.models import Action
from surveys.access import ancestors_or_self, subtree
from surveys.actions import STATUS_WORDS, Status
from surveys.cadence import uk_today
from surveys.text import Text, localise

SHOWN_ITEMS = 2


@dataclass(frozen=True)
class Draft:
    """A follow-up as the officer sees it before approving: texts by unit and language."""

    action_id: int  # 0: the wave's results
    unit: str  # the audience at or below this unit hears it
    texts: dict[str, dict[str, str]]


def _applies(action: Action, unit: str, parents: dict[str, str | None]) -> bool:
    """An action of a unit or of any unit above it concerns the people of `unit`."""
    return action.unit_code in ancestors_or_self(parents, unit)


def _action_line(action: Action, language: str) -> str:
    status = STATUS_WORDS[Status(action.status)][language]
    line = f"• {action.consideration} ({status}"
    if action.due is not None and action.status != Status.DONE:
        line += ", " + t("followup_due", language, day=f"{action.due:%d %b %Y}")
    line += ")"
    if action.progress:
        line += f": {action.progress}"
    return line


def results_text(
    summary: Summary, title: Text, actions: Sequence[Action], language: str
) -> str | None:
    """What was heard in a unit and what is being done, or None where the unit's figures
    are hidden (its people hear the nearest unit above it)."""
    if summary.respondents is None or not summary.items:
        return None
    lines = [
        t("followup_heading", language, survey=localise(title, language), wave=summary.wave_label),
        "",
        t("followup_heard", language, n=summary.respondents, unit=summary.scope_name),
    ]
    lines += [
        "• " + t("followup_item", language, item=localise(i.text, language), value=i.value)
        for i in summary.strongest[:SHOWN_ITEMS]
    ]
    weakest = [i for i in summary.weakest[:1] if i not in summary.strongest[:SHOWN_ITEMS]]
    lines += [
        "• " + t("followup_item_low", language, item=localise(i.text, language), value=i.value)
        for i in weakest
    ]
    lines += ["", t("followup_doing", language)]
    lines += [_action_line(a, language) for a in actions] or [t("followup_no_actions", language)]
    lines += ["", t("followup_thanks", language)]
    return "\n".join(lines)


def results_draft(
    publication: Publication,
    actions: Sequence[Action],
    unit: str,
    title: Text,
    *,
    only: Sequence[str] | None = None,
) -> Draft:
    """The results follow-up for the audience at or below `unit`: one text per unit whose
    figures the publication shows, in every language the bot speaks (`only`: just these
    units, for a preview)."""
    parents = {u.code: u.parent for u in publication.units}
    texts: dict[str, dict[str, str]] = {}
    for code in sorted(subtree(parents, unit) if only is None else only):
        summary = summarise(views.tables(publication, scope=code, today=uk_today()))
        concerning = [a for a in actions if _applies(a, code, parents)]
        by_language = {}
        for language in SUPPORTED:
            text = results_text(summary, title, concerning, language)
            if text is not None:
                by_language[language] = text
        if by_language:
            texts[code] = by_language
    return Draft(0, unit, texts)


def action_draft(action: Action, wave_label: str, title: Text) -> Draft:
    """The follow-up to an action marked done, for the audience at or below its unit."""
    texts = {}
    for language in SUPPORTED:
        lines = [
            t("followup_done_heading", language, survey=localise(title, language), wave=wave_label),
            "",
            f"• {action.consideration}",
        ]
        if action.progress:
            lines.append(t("followup_done_progress", language, progress=action.progress))
        lines += ["", t("followup_thanks", language)]
        texts[language] = "\n".join(lines)
    return Draft(action.id, action.unit_code, {action.unit_code: texts})


__all__ = ["Draft", "action_draft", "results_draft", "results_text"]
