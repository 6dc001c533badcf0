"""Roles (surveys/access.py) and their invitation links (surveys/links.py)."""

from __future__ import annotations

import secrets
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.access import (
    AccessError,
    Grant,
    RoleKind,
    by_precedence,
    check_label,
    may_see_scope,
    may_see_survey,
    parse_expiry,
    parse_role,
)
from surveys.links import LinkError, LinkTarget, RoleTicket, make_role_payload, read_payload
from surveys.model import SurveyKind
from surveys.pseudonym import pseudonym, role_holder

SECRET = b"k" * 48
ALPHABET = set(string.ascii_letters + string.digits + "_-")
PARENTS = {
    "NFRS": None,
    "N-AREA": "NFRS",
    "S-AREA": "NFRS",
    "STN01": "N-AREA",
    "STN01-RED": "STN01",
    "STN02": "S-AREA",
}


def test_an_invitation_link_carries_its_role_and_fits_telegram() -> None:
    ticket = RoleTicket(123456, secrets.token_urlsafe(8))
    payload = make_role_payload(SECRET, ticket)
    assert len(payload) <= 64 and set(payload) <= ALPHABET
    assert read_payload(SECRET, payload) == ticket


@given(st.integers(min_value=0), st.sampled_from(sorted(ALPHABET)))
def test_an_edited_invitation_is_refused(position: int, replacement: str) -> None:
    payload = make_role_payload(SECRET, RoleTicket(7, "abcdefghijk"))
    i = position % len(payload)
    edited = payload[:i] + replacement + payload[i + 1 :]
    if edited != payload:
        with pytest.raises(LinkError):
            read_payload(SECRET, edited)


def test_an_invitation_from_another_deployment_is_refused_and_survey_links_still_work() -> None:
    with pytest.raises(LinkError):
        read_payload(SECRET, make_role_payload(b"o" * 48, RoleTicket(7, "abcdefghijk")))
    from surveys.links import make_payload

    assert read_payload(SECRET, make_payload(SECRET, LinkTarget("staff_pulse", "STN01"))) == (
        LinkTarget("staff_pulse", "STN01")
    )


def test_a_role_holder_key_is_not_their_respondent_pseudonym() -> None:
    assert role_holder(SECRET, "telegram", 42) != pseudonym(SECRET, "telegram", 42)
    assert role_holder(SECRET, "telegram", 42) == role_holder(SECRET, "telegram", 42)


@pytest.mark.parametrize(("text", "hours"), [("7d", 168), ("12h", 12), (" 30d ", 720), ("1h", 1)])
def test_expiry_times(text: str, hours: int) -> None:
    assert parse_expiry(text) == hours


@pytest.mark.parametrize(
    ("text", "message"),
    [("7", "not a time like 7d"), ("31d", "from 1h to 30d"), ("0h", "from 1h"), ("1w", "7d")],
)
def test_bad_expiry_says_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(AccessError, match=message):
        parse_expiry(text)


def test_roles_and_labels_are_checked() -> None:
    assert parse_role(" Manager ") == RoleKind.MANAGER
    with pytest.raises(AccessError, match="officer, manager, network_lead, admin"):
        parse_role("chief")
    assert check_label("  Ashford   station manager ") == "Ashford station manager"
    with pytest.raises(AccessError, match="empty"):
        check_label("   ")
    with pytest.raises(AccessError, match="at most 120"):
        check_label("x" * 121)


def test_what_each_role_may_see() -> None:
    assert may_see_survey(RoleKind.OFFICER, SurveyKind.FORUM)
    assert may_see_survey(RoleKind.MANAGER, SurveyKind.STAFF_PULSE)
    assert not may_see_survey(RoleKind.MANAGER, SurveyKind.FORUM)
    assert may_see_survey(RoleKind.NETWORK_LEAD, SurveyKind.FORUM)
    assert not may_see_survey(RoleKind.NETWORK_LEAD, SurveyKind.STAFF_PULSE)
    assert not any(may_see_survey(r, SurveyKind.MONITORING) for r in RoleKind)


def test_a_role_covers_its_unit_and_what_is_below_it_only() -> None:
    assert may_see_scope(PARENTS, "N-AREA", "STN01-RED")
    assert may_see_scope(PARENTS, "STN01", "STN01")
    assert not may_see_scope(PARENTS, "STN01", "N-AREA")
    assert not may_see_scope(PARENTS, "STN01", "STN02")
    assert not may_see_scope(PARENTS, "GONE", "GONE")  # a unit not in the wave's organisation


def test_roles_are_offered_widest_first() -> None:
    grants = [
        Grant(3, RoleKind.NETWORK_LEAD, "NFRS", "c"),
        Grant(2, RoleKind.MANAGER, "STN01", "b"),
        Grant(1, RoleKind.OFFICER, "NFRS", "a"),
    ]
    assert [g.id for g in by_precedence(grants)] == [1, 2, 3]
