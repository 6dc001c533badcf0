"""Who may see which results: roles, their scopes and their invitations (pure rules).

A role is granted over a unit and covers that unit and everything below it in a wave's
organisation (as the wave's publication recorded it). What each role may see:

* ``officer``: every survey, for the role's unit and below (service-wide at the top unit);
* ``manager``: staff pulse and community surveys, for their unit and below;
* ``network_lead``: forum consultations only, for their unit and below;
* ``admin``: everything an officer sees (and, in the dashboard, the access log).

Every view is a filter of a wave's stored publication (analysis/views.py), so a role
decides only which already-protected figures a person is shown, never what is protected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from surveys.model import SurveyKind


class RoleKind(StrEnum):
    OFFICER = "officer"
    MANAGER = "manager"
    NETWORK_LEAD = "network_lead"
    ADMIN = "admin"


SURVEY_KINDS: Mapping[RoleKind, frozenset[SurveyKind]] = {
    RoleKind.OFFICER: frozenset({SurveyKind.STAFF_PULSE, SurveyKind.COMMUNITY, SurveyKind.FORUM}),
    RoleKind.ADMIN: frozenset({SurveyKind.STAFF_PULSE, SurveyKind.COMMUNITY, SurveyKind.FORUM}),
    RoleKind.MANAGER: frozenset({SurveyKind.STAFF_PULSE, SurveyKind.COMMUNITY}),
    RoleKind.NETWORK_LEAD: frozenset({SurveyKind.FORUM}),
}
# Roles that choose a survey, wave, scope and file; the others get their unit's summary.
DESK_ROLES = frozenset({RoleKind.OFFICER, RoleKind.ADMIN})

DEFAULT_EXPIRY_HOURS = 7 * 24
MAX_EXPIRY_HOURS = 30 * 24
MAX_LABEL = 120
_EXPIRY = re.compile(r"^\s*(\d{1,4})\s*([hd])\s*$")


class AccessError(ValueError):
    """A role, expiry or label that cannot be used; the message says what is wrong."""


def parse_role(text: str) -> RoleKind:
    try:
        return RoleKind(text.strip().lower())
    except ValueError:
        raise AccessError(
            f"{text!r} is not a role (choose one of {', '.join(r.value for r in RoleKind)})"
        ) from None


def parse_expiry(text: str) -> int:
    """'7d' or '36h' as hours, from 1 hour to 30 days."""
    match = _EXPIRY.match(text)
    if not match:
        raise AccessError(f"{text!r} is not a time like 7d (days) or 12h (hours)")
    hours = int(match.group(1)) * (24 if match.group(2) == "d" else 1)
    if not 1 <= hours <= MAX_EXPIRY_HOURS:
        raise AccessError(f"{text!r}: an invitation may last from 1h to {MAX_EXPIRY_HOURS // 24}d")
    return hours


def check_label(text: str) -> str:
    label = " ".join(text.split())
    if not label:
        raise AccessError("the label is empty: say who the role is for, e.g. 'Ashford SM'")
    if len(label) > MAX_LABEL:
        raise AccessError(f"the label has {len(label)} characters; at most {MAX_LABEL}")
    return label


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def check_email(text: str) -> str:
    """An e-mail address as the identity provider will give it (compared in lower case)."""
    email = text.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise AccessError(f"{text!r} is not an e-mail address")
    return email


def may_see_survey(role: RoleKind, kind: SurveyKind) -> bool:
    return kind in SURVEY_KINDS[role]


def subtree(parents: Mapping[str, str | None], code: str) -> set[str]:
    """`code` and every unit below it, given each unit's parent."""
    children: dict[str, list[str]] = {}
    for unit, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(unit)
    out: set[str] = set()
    stack = [code] if code in parents else []
    while stack:
        node = stack.pop()
        if node not in out:
            out.add(node)
            stack.extend(children.get(node, []))
    return out


def ancestors_or_self(parents: Mapping[str, str | None], code: str) -> list[str]:
    """`code` and the units above it, nearest first, given each unit's parent."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def may_see_scope(parents: Mapping[str, str | None], role_unit: str, scope: str) -> bool:
    """A scope is the role's unit or a unit below it, in the wave's organisation."""
    return scope in subtree(parents, role_unit)


@dataclass(frozen=True)
class Grant:
    """An active role, as the chat and the dashboard see it."""

    id: int
    role: RoleKind
    unit: str
    label: str

    def surveys(self, kinds: Mapping[str, SurveyKind]) -> list[str]:
        """The survey keys (of `kinds`: key -> kind) this role may see."""
        return [key for key, kind in kinds.items() if may_see_survey(self.role, kind)]

    @property
    def at_desk(self) -> bool:
        return self.role in DESK_ROLES


def by_precedence(grants: Iterable[Grant]) -> list[Grant]:
    order = [RoleKind.ADMIN, RoleKind.OFFICER, RoleKind.MANAGER, RoleKind.NETWORK_LEAD]
    return sorted(grants, key=lambda g: (order.index(g.role), g.id))
