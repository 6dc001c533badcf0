"""A unit's summary of a released wave, for a manager's phone (the chat's /results).

Read from a view of the stored publication (analysis/views.py) and nothing else: the
response rate the publication shows for the unit, its agreement items ranked by the %
favourable shown for it, the change since the previous wave from the publication's trend
rows, and the gaps between groups the publication marks as significant for that scope.
A figure the publication hides is left out, never estimated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.tables import Tables, scope_rows
from surveys.model import QuestionType
from surveys.text import Text

TOP = 3


@dataclass(frozen=True)
class Item:
    key: str
    text: Text
    value: float  # % favourable for the scope
    change: float | None = None  # points since the previous wave, where both are shown


@dataclass(frozen=True)
class GapLine:
    question: Text
    breakdown: str
    group: str  # the group's label, as the publication names it
    value: float
    rest_value: float


@dataclass(frozen=True)
class Summary:
    survey_key: str
    wave_id: int
    wave_label: str
    scope: str | None
    scope_name: str
    respondents: int | None  # None: hidden for this unit
    rate: float | None  # % of the headcount, where both are known and shown
    items: list[Item]  # every shown agreement item, strongest first
    previous_label: str | None
    gaps: list[GapLine]

    @property
    def strongest(self) -> list[Item]:
        return self.items[:TOP]

    @property
    def weakest(self) -> list[Item]:
        rest = self.items[TOP:]
        return list(reversed(rest[-TOP:]))

    @property
    def changes(self) -> list[Item]:
        """The items that moved most since the previous wave (largest first)."""
        moved = [i for i in self.items if i.change is not None and round(i.change) != 0]
        return sorted(moved, key=lambda i: -abs(i.change or 0.0))[:TOP]


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def summarise(tables: Tables) -> Summary:
    results = tables.results
    mine = scope_rows(tables, results)
    respondents, rate = None, None
    if tables.scope is None:
        shown = results.loc[(results["breakdown"] == "all") & ~results["suppressed"], "n"]
        respondents = int(shown.max()) if len(shown) else None
    else:
        row = tables.response_rates[tables.response_rates["unit"] == tables.scope]
        if len(row) and not bool(row["suppressed"].iloc[0]):
            respondents = int(row["respondents"].iloc[0])
            rate = _number(row["response_rate"].iloc[0])
    trend = tables.trend  # the view's trend rows are already this scope's
    earlier = (
        trend[(trend["wave"] < tables.wave_id) & ~trend["suppressed"]] if len(trend) else trend
    )
    previous_wave = int(earlier["wave"].max()) if len(earlier) else None
    previous_label = None
    before: dict[str, float] = {}
    if previous_wave is not None:
        rows = earlier[earlier["wave"] == previous_wave]
        previous_label = str(rows["label"].iloc[0])
        before = {
            str(q): float(v)
            for q, v, m in zip(rows["question"], rows["value"], rows["metric"], strict=True)
            if m == "pct_favourable"
        }
    items = []
    for question in tables.questions:
        if question.type != QuestionType.LIKERT:
            continue
        row = mine[(mine["question"] == question.key) & ~mine["suppressed"]]
        value = _number(row["pct_favourable"].iloc[0]) if len(row) else None
        if value is None:
            continue
        change = value - before[question.key] if question.key in before else None
        items.append(Item(question.key, question.text, value, change))
    items.sort(key=lambda i: (-i.value, i.key))
    texts = {q.key: q.text for q in tables.questions}
    gaps = [
        GapLine(
            texts.get(str(g.question), {"en": str(g.question)}),
            str(g.breakdown),
            tables.group_labels.get((str(g.breakdown), str(g.group)), str(g.group)),
            float(g.value),
            float(g.rest_value),
        )
        for g in tables.gaps.itertuples()
        if bool(g.significant)
    ]
    return Summary(
        survey_key=tables.survey_key,
        wave_id=tables.wave_id,
        wave_label=tables.wave_label,
        scope=tables.scope,
        scope_name=tables.scope_name,
        respondents=respondents,
        rate=rate,
        items=items,
        previous_label=previous_label,
        gaps=gaps,
    )
