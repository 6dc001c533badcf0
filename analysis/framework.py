"""The framework view: results laid out as evidence per framework area, in plain words.

For each area (FRS Equality Framework by default; HMICFRS People, Core Code and Equality
Standard too): the items tagged with it, strengths and areas for improvement worked out
from the numbers, and an improvement-register starter. Only protected figures are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.labels import breakdown_label, group_label
from analysis.publication import headline
from analysis.tables import Tables
from analysis.words import AREAS_CY, FRSEF_CY, w
from surveys.frameworks import (
    CORE_CODE_PRINCIPLES,
    EQUALITY_STANDARD_AREAS,
    FRSEF_AREAS,
    HMICFRS_AREAS,
)
from surveys.model import Question
from surveys.text import localise

STRENGTH_AT = 70.0  # % favourable at or above this is a strength
IMPROVE_BELOW = 55.0  # % favourable below this is an area for improvement
FRAMEWORKS = {
    "frsef": (
        "Fire and Rescue Service Equality Framework",
        {str(k): v for k, v in FRSEF_AREAS.items()},
    ),
    "hmicfrs": ("HMICFRS People pillar", HMICFRS_AREAS),
    "core_code": ("Core Code of Ethics", CORE_CODE_PRINCIPLES),
    "equality_standard": ("Equality Standard for Local Government", EQUALITY_STANDARD_AREAS),
}


@dataclass
class Item:
    question: str
    text: str
    metric: str
    value: float | None
    n: float | None


@dataclass
class Area:
    framework: str
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    # A short "area for consideration" for each improvement, for the register.
    considerations: list[str] = field(default_factory=list)


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _item_sentence(item: Item, language: str) -> str:
    key = "item_agreed" if item.metric == "pct_favourable" else "item_yes"
    return w(key, language, pct=_percent(item.value or 0), text=item.text, n=int(item.n or 0))


def areas(tables: Tables, framework: str = "frsef") -> list[Area]:
    """Areas of one framework with their items, strengths and areas for improvement."""
    _, names = FRAMEWORKS[framework]
    language = tables.language
    if language == "cy":
        names = (
            {str(k): v for k, v in FRSEF_CY.items()}
            if framework == "frsef"
            else AREAS_CY[framework]
        )
    overall_breakdown = "all"
    results = tables.results
    overall = results[results["breakdown"] == overall_breakdown].set_index("question")
    if tables.scope is not None:
        scoped = results[
            (results["group"] == tables.scope)
            & ~results["breakdown"].isin(["all"])
            & ~results["breakdown"].str.contains("×")
        ]
        if not scoped.empty:
            overall = scoped.set_index("question")
    gaps = tables.gaps
    out: list[Area] = []
    for key, title in names.items():
        area = Area(framework, key, title)
        tagged: list[Question] = [
            q for q in tables.questions if key in [str(v) for v in getattr(q.tags, framework)]
        ]
        for question in tagged:
            metric = headline(question)
            if metric is None or question.key not in overall.index:
                continue
            row = overall.loc[question.key]
            value = None if row["suppressed"] or pd.isna(row[metric]) else float(row[metric])
            area.items.append(
                Item(
                    question.key,
                    localise(question.text, language),
                    metric,
                    value,
                    None if pd.isna(row["n"]) else float(row["n"]),
                )
            )
        for item in area.items:
            if item.value is None:
                continue
            if item.metric == "pct_favourable" and item.value >= STRENGTH_AT:
                area.strengths.append(_item_sentence(item, language))
            elif item.metric == "pct_favourable" and item.value < IMPROVE_BELOW:
                area.improvements.append(_item_sentence(item, language))
                area.considerations.append(w("raise_agreement", language, text=item.text))
        keys = {item.question for item in area.items}
        significant = (
            gaps[gaps["question"].isin(keys) & gaps["significant"]] if not gaps.empty else gaps
        )
        for gap in significant.itertuples(index=False):
            item = next(i for i in area.items if i.question == gap.question)
            group = group_label(tables.group_labels, str(gap.breakdown), str(gap.group))
            direction = w("less" if gap.difference < 0 else "more", language)
            sentence = w(
                "gap_sentence",
                language,
                breakdown=breakdown_label(str(gap.breakdown), language),
                group=group,
                direction=direction,
                text=item.text,
                value=_percent(gap.value),
                n=gap.n,
                rest=_percent(gap.rest_value),
                rest_n=gap.rest_n,
                method=gap.method,
                q=f"{gap.q_value:.3f}",
            ) + (w("indicative_end", language) if gap.indicative else ".")
            # Only shortfalls: a group doing better than the rest is the mirror image of
            # another group doing worse, which is already listed.
            if gap.difference < 0:
                area.improvements.append(sentence)
                area.considerations.append(w("close_gap", language, group=group, text=item.text))
        if area.items:
            out.append(area)
    return out


def register(all_areas: list[Area]) -> pd.DataFrame:
    """Improvement-register starter: one row per area for improvement."""
    rows = [
        {
            "area": f"{a.key}. {a.title}" if a.framework == "frsef" else a.title,
            "area_for_consideration": consideration,
            "evidence": text,
            "lead": "",
            "due": "",
            "status": "open",
        }
        for a in all_areas
        for consideration, text in zip(a.considerations, a.improvements, strict=True)
    ]
    return pd.DataFrame(
        rows, columns=["area", "area_for_consideration", "evidence", "lead", "due", "status"]
    )
