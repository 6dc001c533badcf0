"""Human-readable labels for breakdowns and groups."""

from __future__ import annotations

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


def characteristic_labels(monitoring: Survey | None) -> dict[str, dict[str, str]]:
    """characteristic -> option key -> label, including derived groups and not answered."""
    out: dict[str, dict[str, str]] = {}
    for key in CHARACTERISTICS:
        if key == "ethnic_group":
            values = dict(ETHNIC_GROUP_LABELS)
        elif key == "disability":
            values = dict(DISABILITY_LABELS)
        elif monitoring is not None and key in {q.key for q in monitoring.questions}:
            values = {o.key: localise(o.text, "en") for o in monitoring.question(key).choices()}
        else:
            values = {}
        values["not_answered"] = NOT_ANSWERED_LABEL
        out[key] = values
    return out


def breakdown_label(breakdown: str) -> str:
    if "×" in breakdown:
        return " × ".join(BREAKDOWN_LABELS.get(part, part) for part in breakdown.split("×"))
    return BREAKDOWN_LABELS.get(breakdown, breakdown)


def group_label(labels: dict[tuple[str, str], str], breakdown: str, group: str) -> str:
    if "×" in breakdown:
        parts = breakdown.split("×")
        values = group.split("|")
        return " / ".join(labels.get((p, v), v) for p, v in zip(parts, values, strict=False))
    return labels.get((breakdown, group), group)
