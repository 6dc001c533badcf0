"""Protected characteristics (Equality Act 2010) and how they are derived from monitoring answers.

The monitoring survey (surveys/bundled/equality_monitoring.yaml) asks the questions; this
module turns a person's answers into the snapshot copied onto each response, so reports
can break results down without ever needing the person.
"""

from __future__ import annotations

from collections.abc import Mapping

from surveys.engine import Answer
from surveys.model import PREFER_NOT_TO_SAY

MONITORING_SURVEY_KEY = "equality_monitoring"

# Characteristic keys in the order reports list them, with plain-English labels.
# Reports and imports rely on these keys; the storage layer has one column for each.
CHARACTERISTICS: dict[str, str] = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_identity": "Gender identity same as sex registered at birth",
    "sexual_orientation": "Sexual orientation",
    "ethnicity": "Ethnicity",
    "ethnic_group": "Ethnic group",
    "religion": "Religion or belief",
    "disability": "Disability",
    "marriage_civil_partnership": "Married or in a civil partnership",
    "pregnancy_maternity": "Pregnancy and maternity",
    "caring": "Unpaid caring responsibilities",
    "staff_group": "Staff group",
}

# Characteristics that are worked out from other answers rather than asked directly.
DERIVED = frozenset({"ethnic_group", "disability"})

# The monitoring questions behind "disability" (the two harmonised GSS questions).
LONG_TERM_CONDITION = "long_term_condition"
CONDITION_IMPACT = "condition_impact"

# 2021 Census ethnicity: 19 categories in 5 groups.
ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "white": (
        "white_british",
        "white_irish",
        "white_gypsy_irish_traveller",
        "white_roma",
        "white_other",
    ),
    "mixed": (
        "mixed_white_black_caribbean",
        "mixed_white_black_african",
        "mixed_white_asian",
        "mixed_other",
    ),
    "asian": (
        "asian_indian",
        "asian_pakistani",
        "asian_bangladeshi",
        "asian_chinese",
        "asian_other",
    ),
    "black": ("black_caribbean", "black_african", "black_other"),
    "other": ("other_arab", "other_any"),
}
ETHNIC_GROUP_LABELS: dict[str, str] = {
    "white": "White",
    "mixed": "Mixed or Multiple ethnic groups",
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "other": "Other ethnic group",
    PREFER_NOT_TO_SAY: "Prefer not to say",
}
ETHNIC_GROUP_OF: dict[str, str] = {
    category: group for group, categories in ETHNIC_GROUPS.items() for category in categories
}

DISABLED = "disabled"
NOT_DISABLED = "not_disabled"
DISABILITY_LABELS: dict[str, str] = {
    DISABLED: "Disabled (Equality Act)",
    NOT_DISABLED: "Not disabled",
    PREFER_NOT_TO_SAY: "Prefer not to say",
}

Snapshot = dict[str, str | None]


def _single(value: Answer) -> str | None:
    """A monitoring answer as one value; skipped (None) stays None, never imputed."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def derive_disability(condition: Answer, impact: Answer) -> str | None:
    """Equality Act disability: a long-term condition that reduces day-to-day activities."""
    if condition == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    if condition == "no":
        return NOT_DISABLED
    if condition == "yes":
        if impact in ("a_lot", "a_little"):
            return DISABLED
        if impact == "not_at_all":
            return NOT_DISABLED
        if impact == PREFER_NOT_TO_SAY:
            return PREFER_NOT_TO_SAY
    return None


def derive_ethnic_group(ethnicity: Answer) -> str | None:
    if ethnicity == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    if isinstance(ethnicity, str):
        return ETHNIC_GROUP_OF.get(ethnicity)
    return None


def snapshot(monitoring_answers: Mapping[str, Answer]) -> Snapshot:
    """The characteristics copied onto a response; None means not answered."""
    out: Snapshot = {}
    for key in CHARACTERISTICS:
        if key == "ethnic_group":
            out[key] = derive_ethnic_group(monitoring_answers.get("ethnicity"))
        elif key == "disability":
            out[key] = derive_disability(
                monitoring_answers.get(LONG_TERM_CONDITION),
                monitoring_answers.get(CONDITION_IMPACT),
            )
        else:
            out[key] = _single(monitoring_answers.get(key))
    return out


def empty_snapshot() -> Snapshot:
    return dict.fromkeys(CHARACTERISTICS)
