from __future__ import annotations

import pytest

from surveys.equality import (
    CHARACTERISTICS,
    DISABLED,
    NOT_DISABLED,
    derive_disability,
    derive_ethnic_group,
    snapshot,
)
from surveys.model import PREFER_NOT_TO_SAY


@pytest.mark.parametrize(
    ("condition", "impact", "expected"),
    [
        ("yes", "a_lot", DISABLED),
        ("yes", "a_little", DISABLED),
        ("yes", "not_at_all", NOT_DISABLED),
        ("no", None, NOT_DISABLED),
        ("yes", None, None),
        ("yes", PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY),
        (PREFER_NOT_TO_SAY, None, PREFER_NOT_TO_SAY),
        (None, None, None),
    ],
)
def test_disability_follows_the_equality_act_definition(
    condition: str | None, impact: str | None, expected: str | None
) -> None:
    assert derive_disability(condition, impact) == expected


def test_ethnicity_rolls_up_to_five_groups() -> None:
    assert derive_ethnic_group("white_roma") == "white"
    assert derive_ethnic_group("mixed_white_asian") == "mixed"
    assert derive_ethnic_group("asian_chinese") == "asian"
    assert derive_ethnic_group("black_african") == "black"
    assert derive_ethnic_group("other_arab") == "other"
    assert derive_ethnic_group(PREFER_NOT_TO_SAY) == PREFER_NOT_TO_SAY
    assert derive_ethnic_group(None) is None


def test_snapshot_has_every_characteristic_and_never_imputes() -> None:
    result = snapshot({"sex": "female", "ethnicity": "black_caribbean", "age_band": None})
    assert set(result) == set(CHARACTERISTICS)
    assert result["sex"] == "female"
    assert result["ethnic_group"] == "black"
    assert result["age_band"] is None
    assert result["religion"] is None
