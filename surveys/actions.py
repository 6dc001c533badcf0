"""The improvement register ("you said, we did"): what is being done about what people
said, in the columns fire services already publish (area, progress, lead, when, status).

Pure rules: an action's fields and how they are checked, and the register's layout.
storage/actions.py keeps them; the CLI (`firevoice actions`) and the dashboard edit them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from surveys.frameworks import FRSEF_AREAS

MAX_TEXT = 500
MAX_PROGRESS = 4000
MAX_LEAD = 120


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


STATUS_WORDS = {
    Status.OPEN: {"en": "Open", "cy": "Agored"},
    Status.IN_PROGRESS: {"en": "In progress", "cy": "Ar y gweill"},
    Status.DONE: {"en": "Done", "cy": "Wedi'i wneud"},
}
# The register's columns, as fire services publish them (plus what each action is about).
COLUMNS = ("Area", "Area for consideration", "Progress", "Lead", "When", "Status", "Unit", "Item")


class ActionError(ValueError):
    """An action field that cannot be used; the message says which and why."""


def parse_status(text: str) -> Status:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return Status(value)
    except ValueError:
        raise ActionError(
            f"status {text!r} is not one of {', '.join(s.value for s in Status)}"
        ) from None


def parse_area(text: str | int) -> int:
    """An FRS Equality Framework area by number (1-5)."""
    try:
        number = int(str(text).strip().split(".")[0])
    except ValueError:
        number = 0
    if number not in FRSEF_AREAS:
        known = "; ".join(f"{k}. {v}" for k, v in FRSEF_AREAS.items())
        raise ActionError(f"area {text!r} is not an FRS Equality Framework area ({known})")
    return number


def area_title(number: int) -> str:
    return f"{number}. {FRSEF_AREAS[number]}"


def parse_due(text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ActionError(f"due date {text!r} is not a date like 2027-03-31") from None


def check_text(name: str, text: str | None, limit: int, *, required: bool) -> str:
    value = " ".join((text or "").split()) if name != "progress" else (text or "").strip()
    if required and not value:
        raise ActionError(f"{name} is empty: say what will be done")
    if len(value) > limit:
        raise ActionError(f"{name} has {len(value)} characters; at most {limit}")
    return value


@dataclass(frozen=True)
class Fields:
    """An action's checked fields."""

    area: int
    consideration: str
    unit: str
    lead: str
    due: date | None
    status: Status
    progress: str
    item: str | None


def check(
    *,
    area: str | int,
    consideration: str,
    unit: str,
    lead: str,
    due: str | None,
    status: str = "open",
    progress: str = "",
    item: str | None = None,
) -> Fields:
    return Fields(
        area=parse_area(area),
        consideration=check_text("consideration", consideration, MAX_TEXT, required=True),
        unit=unit.strip(),
        lead=check_text("lead", lead, MAX_LEAD, required=True),
        due=parse_due(due),
        status=parse_status(status),
        progress=check_text("progress", progress, MAX_PROGRESS, required=False),
        item=(item or "").strip() or None,
    )
