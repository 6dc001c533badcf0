from __future__ import annotations

import hashlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.links import LinkError, LinkTarget, make_payload, read_payload
from surveys.pseudonym import pseudonym

SECRET = b"k" * 48
OTHER = b"o" * 48
TELEGRAM_START_ALPHABET = set(string.ascii_letters + string.digits + "_-")


def test_a_link_opens_the_survey_and_unit_it_was_made_for() -> None:
    payload = make_payload(SECRET, LinkTarget("staff_pulse", "STN01-RED"))
    assert len(payload) <= 64
    assert set(payload) <= TELEGRAM_START_ALPHABET
    assert read_payload(SECRET, payload) == LinkTarget("staff_pulse", "STN01-RED")
    assert read_payload(SECRET, make_payload(SECRET, LinkTarget("community_visit", None))) == (
        LinkTarget("community_visit", None)
    )


@given(st.integers(min_value=0), st.sampled_from(sorted(TELEGRAM_START_ALPHABET)))
def test_an_edited_link_is_refused(position: int, replacement: str) -> None:
    payload = make_payload(SECRET, LinkTarget("staff_pulse", "STN01-RED"))
    i = position % len(payload)
    edited = payload[:i] + replacement + payload[i + 1 :]
    if edited != payload:
        with pytest.raises(LinkError):
            read_payload(SECRET, edited)


def test_a_link_for_another_station_cannot_be_made_by_swapping_the_unit() -> None:
    red = make_payload(SECRET, LinkTarget("staff_pulse", "STN01-RED"))
    white = make_payload(SECRET, LinkTarget("staff_pulse", "STN01-WHITE"))
    forged = white[:-12] + red[-12:]
    with pytest.raises(LinkError):
        read_payload(SECRET, forged)


def test_a_link_signed_by_another_deployment_is_refused() -> None:
    with pytest.raises(LinkError):
        read_payload(SECRET, make_payload(OTHER, LinkTarget("staff_pulse", None)))


@pytest.mark.parametrize("payload", ["", "abc", "a" * 65, "has space", "ünïcode", "x" * 13])
def test_junk_payloads_are_refused(payload: str) -> None:
    with pytest.raises(LinkError):
        read_payload(SECRET, payload)


def test_a_target_too_long_for_telegram_is_refused_with_the_limit() -> None:
    with pytest.raises(LinkError, match="allows 64"):
        make_payload(SECRET, LinkTarget("a" * 32, "B" * 32))


def test_pseudonyms_are_stable_and_keyed() -> None:
    first = pseudonym(SECRET, "telegram", 123456789)
    assert first == pseudonym(SECRET, "telegram", 123456789)
    assert first != pseudonym(SECRET, "telegram", 123456790)
    assert first != pseudonym(OTHER, "telegram", 123456789)
    # An unkeyed hash of the id could be reversed by hashing every id; ours is not that.
    assert first != hashlib.sha256(b"123456789").hexdigest()
    assert first != hashlib.sha256(b"telegram:123456789").hexdigest()
    assert "123456789" not in first


def test_a_sealed_profile_opens_only_for_its_person_row_and_secret() -> None:
    from surveys import sealing

    profile = b'{"sex": "female", "age_band": "age_25_34"}'
    key = sealing.profile_key(SECRET, "telegram", 123456789)
    box = sealing.seal(key, profile, "profile:row-a")
    assert b"female" not in box.encode() and "123456789" not in box
    assert sealing.unseal(key, box, "profile:row-a") == profile
    # A second seal of the same data looks different (random nonce).
    assert sealing.seal(key, profile, "profile:row-a") != box
    for other_key, context in [
        (sealing.profile_key(SECRET, "telegram", 123456780), "profile:row-a"),  # another id
        (sealing.profile_key(OTHER, "telegram", 123456789), "profile:row-a"),  # another secret
        (key, "profile:row-b"),  # copied onto another person's row
        (key, "contact:row-a"),  # moved to another column
    ]:
        with pytest.raises(sealing.SealError):
            sealing.unseal(other_key, box, context)
    for damaged in ("", "not base64!", box[:-4] + "AAAA"):
        with pytest.raises(sealing.SealError):
            sealing.unseal(key, damaged, "profile:row-a")
