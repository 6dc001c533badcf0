"""Human-readable labels for breakdowns and groups."""

from __future__ import annotations

from analysis.words import CHARACTERISTICS_CY, DISABILITY_CY, ETHNIC_GROUPS_CY, WORDS, w
from surveys.equality import CHARACTERISTICS, DISABILITY_LABELS, ETHNIC_GROUP_LABELS
from surveys.model import Survey
from surveys.text import localise

NOT_ANSWERED_LABEL = "Not answered"
BREAKDOWN_LABELS = {
    "all": "All respondents",
    "service": "Service",
    "area": "Area",
    "station": "Station",
    "watch": "Watch",
    "department": "Department",
    **CHARACTERISTICS,
}


def characteristic_labels(
    monitoring: Survey | None, language: str = "en"
) -> dict[str, dict[str, str]]:
    """characteristic -> option key -> label, including derived groups and not answered."""
    welsh = language == "cy"
    out: dict[str, dict[str, str]] = {}
    for key in CHARACTERISTICS:
        if key == "ethnic_group":
            values = dict(ETHNIC_GROUPS_CY if welsh else ETHNIC_GROUP_LABELS)
        elif key == "disability":
            values = dict(DISABILITY_CY if welsh else DISABILITY_LABELS)
        elif monitoring is not None and key in {q.key for q in monitoring.questions}:
            values = {o.key: localise(o.text, language) for o in monitoring.question(key).choices()}
        else:
            values = {}
        values["not_answered"] = w("not_answered", language)
        out[key] = values
    return out


def _one(part: str, language: str) -> str:
    if language == "cy":
        if part in CHARACTERISTICS_CY:
            return CHARACTERISTICS_CY[part]
        if part in WORDS:
            return w(part, language)
    return BREAKDOWN_LABELS.get(part, part)


def breakdown_label(breakdown: str, language: str = "en") -> str:
    if "×" in breakdown:
        return " × ".join(_one(part, language) for part in breakdown.split("×"))
    if breakdown == "all":
        return w("all_respondents", language)
    return _one(breakdown, language)


def group_label(labels: dict[tuple[str, str], str], breakdown: str, group: str) -> str:
    if "×" in breakdown:
        parts = breakdown.split("×")
        values = group.split("|")
        return " / ".join(labels.get((p, v), v) for p, v in zip(parts, values, strict=False))
    return labels.get((breakdown, group), group)
