"""The publication: joint suppression, proved by the audit and attacked independently."""

from __future__ import annotations

import itertools
import os
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import disclosure
from analysis.data import NOT_ANSWERED, Units, WaveData, build_responses
from analysis.publication import Earlier, MismatchError, Publication, publish
from surveys.equality import CHARACTERISTICS
from surveys.loader import SurveyCatalog
from surveys.model import Survey
from tests.attacker import Attacker

MONITORING = SurveyCatalog.load().get("equality_monitoring")
SURVEY = Survey.model_validate(
    {
        "key": "mini_pulse",
        "kind": "staff_pulse",
        "title": {"en": "Mini pulse"},
        "questions": [
            {"key": "fair", "type": "likert", "text": {"en": "I am treated fairly."}},
            {
                "key": "bullied",
                "type": "yes_no",
                "optional": True,
                "text": {"en": "I have experienced bullying."},
            },
        ],
    }
)
RELEASED = date(2026, 6, 1)


def wave_data(
    units: list[tuple[str, str, str, str | None, int | None]],
    rows: list[dict[str, Any]],
    *,
    k_unit: int = 5,
    k_char: int = 10,
) -> WaveData:
    tree = Units.from_rows(units)
    records = pd.DataFrame(rows)
    for key in ["unit", *CHARACTERISTICS, "fair", "bullied"]:
        if key not in records:
            records[key] = None
    return WaveData(
        survey=SURVEY,
        wave_id=1,
        label="Test wave",
        opens_on=date(2026, 5, 1),
        k_unit=k_unit,
        k_characteristic=k_char,
        k_comments=10,
        units=tree,
        responses=build_responses(records, SURVEY, MONITORING, tree),
    )


def truth(attacker: Attacker, rows: list[dict[str, Any]]) -> dict[str, object]:
    """The real cube counts behind the data, for the rule's "under the threshold"."""
    n = len(attacker.cells)
    out: dict[str, Any] = {"respondents": np.zeros(n, dtype=int)}
    for q in attacker.questions:
        out[f"{q.key}:n"] = np.zeros(n, dtype=int)
        out[f"{q.key}:a"] = np.zeros((n, len(attacker.options[q.key])), dtype=int)
    for row in rows:
        combo = tuple(row.get(c) or NOT_ANSWERED for c in attacker.varying)
        i = attacker.index[(row.get("part", 0), row["unit"], combo)]
        out["respondents"][i] += 1
        for q in attacker.questions:
            value = row.get(q.key)
            if value is not None:
                out[f"{q.key}:n"][i] += 1
                out[f"{q.key}:a"][i, attacker.options[q.key].index(value)] += 1
    return out


def attack(
    publication: Publication | list[Publication],
    rows: list[dict[str, Any]],
    varying: list[str],
    only: set[tuple[str, str]] | None = None,
) -> list:
    """What an attacker finds in one publication, or in every version of a corrected wave
    (then each row's "part" says which correction withdrew it, 0 for none); about every
    hidden group, or only these (breakdown, group)s."""
    attacker = Attacker(publication, varying, {})
    attacker.truth = truth(attacker, rows)
    return attacker.exposures(only)


def shown(publication: Publication, breakdown: str, group: str) -> int | None:
    for row in publication.groups:
        if (row.breakdown, row.group) == (breakdown, group):
            return row.respondents
    raise KeyError((breakdown, group))


# --- the three attacks from the review -----------------------------------------------------

AREAS = [
    ("SVC", "Service", "service", None, None),
    ("A1", "Area One", "area", "SVC", None),
    ("A2", "Area Two", "area", "SVC", None),
    ("A3", "Area Three", "area", "SVC", None),
]


def people(unit: str, sex: str, count: int, **answers: str) -> list[dict[str, Any]]:
    return [{"unit": unit, "sex": sex, "fair": "agree", **answers} for _ in range(count)]


def test_three_women_in_an_area_cannot_be_rebuilt_from_linked_cells() -> None:
    # Area x sex with its margins. Checked row by row and column by column, hiding the 3
    # women of Area One, then their row partner (30 men) and the women of Area Two was
    # enough; but the 30 men were alone in their column, so the male margin rebuilt them
    # and the area total then rebuilt the 3 women, with their 3 "yes" answers.
    rows = (
        people("A1", "female", 3, bullied="yes")
        + people("A1", "male", 30, bullied="no")
        + people("A2", "female", 12, bullied="no")
        + people("A2", "male", 25, bullied="no")
        + people("A3", "male", 40, bullied="no")
    )
    old = disclosure.protect_table([[3, 30], [12, 25], [0, 40]], [33, 37, 40], [15, 95], 10)
    assert old == {(0, 0), (0, 1), (1, 0)}  # the old, row-by-row pattern
    # ... which the attacker breaks: 95 men - 25 - 40 = 30, and 33 - 30 = 3 women.
    assert 95 - 25 - 40 == 30 and 33 - 30 == 3

    publication = publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)
    assert shown(publication, "area×sex", "A1|female") is None
    assert attack(publication, rows, ["sex"]) == []


def test_an_optional_questions_n_cannot_pin_a_hidden_watch() -> None:
    units = [
        ("SVC", "Service", "service", None, None),
        ("S", "Station", "station", "SVC", 45),
        ("S-R", "Red", "watch", "S", 15),
        ("S-W", "White", "watch", "S", 15),
        ("S-B", "Blue", "watch", "S", 15),
    ]
    # Red: 12 answer everything; White: 15, all answer the optional question; Blue: 3,
    # none of whom answer it. Decided question by question, White's n for it (15) sat
    # beside the hidden respondent counts and pinned Blue at 30 - 12 - 15 = 3.
    rows = (
        people("S-R", "male", 12, bullied="no")
        + people("S-W", "male", 15, bullied="no")
        + people("S-B", "male", 3)
    )
    publication = publish(wave_data(units, rows), monitoring=None, released_on=RELEASED)
    assert shown(publication, "watch", "S-B") is None
    white = next(
        r for r in publication.answers["bullied"] if (r.breakdown, r.group) == ("watch", "S-W")
    )
    assert white.n is None  # one pattern of hidden units for every question
    assert attack(publication, rows, ["sex"]) == []


def test_fire_controls_few_women_are_protected_though_never_published() -> None:
    units = [
        ("SVC", "Service", "service", None, None),
        ("A1", "Area One", "area", "SVC", None),
        ("S1", "Station One", "station", "A1", None),
        ("S2", "Station Two", "station", "A1", None),
        ("CTRL", "Fire Control", "department", "SVC", None),
    ]
    rows = (
        people("S1", "female", 11)
        + people("S1", "male", 30)
        + people("S2", "female", 12)
        + people("S2", "male", 28)
        + people("CTRL", "female", 3, bullied="yes")
        + people("CTRL", "male", 20)
    )
    publication = publish(wave_data(units, rows), monitoring=None, released_on=RELEASED)
    # Women overall minus women in the area would be Fire Control's 3 women.
    assert (
        shown(publication, "sex", "female") is None
        or shown(publication, "area×sex", "A1|female") is None
        or shown(publication, "station×sex", "S1|female") is None
    )
    assert attack(publication, rows, ["sex"]) == []


def test_a_unanimous_total_makes_its_groups_unanimous_without_hiding_it() -> None:
    rows = people("A1", "male", 30) + people("A2", "male", 30) + people("A3", "female", 4)
    publication = publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)
    everyone = next(r for r in publication.answers["fair"] if r.breakdown == "all")
    assert everyone.n == 64 and everyone.counts is not None  # 100% agree, shown
    assert attack(publication, rows, ["sex"]) == []


def test_the_publication_survives_its_stored_form_unchanged() -> None:
    rows = people("A1", "male", 30, bullied="no") + people("A2", "female", 12, bullied="yes")
    publication = publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)
    again = Publication.from_json(publication.to_json())
    assert again.to_json() == publication.to_json()
    assert again.digest == publication.digest
    assert "Disclosure audit" in publication.audit.sentence()


# --- corrections: a new version audited with the one it replaces ----------------------------


def staff_kept() -> list[dict[str, Any]]:
    """The responses a correction keeps, in the tests below."""
    return (
        people("A1", "female", 12, bullied="no")
        + people("A1", "male", 30, bullied="no")
        + people("A2", "female", 12, bullied="no")
        + people("A2", "male", 25, bullied="yes")
        + people("A3", "male", 40, bullied="no")
        + people("A3", "female", 11, bullied="no")
    )


def test_a_correction_does_not_single_out_the_responses_it_withdraws() -> None:
    # Version 1 counted a wrongly imported file of 12 (3 women who said "yes" to bullying,
    # 9 men). Set beside version 1, a version 2 protected on its own would show each sex
    # margin less theirs: 3 women, all "yes".
    kept = staff_kept()
    wrong = people("A2", "female", 3, bullied="yes") + people("A2", "male", 9, bullied="no")
    every = kept + [{**row, "part": 1} for row in wrong]
    first = publish(wave_data(AREAS, kept + wrong), monitoring=None, released_on=RELEASED)
    assert attack(first, kept + wrong, ["sex"]) == []

    alone = publish(wave_data(AREAS, kept), monitoring=None, released_on=RELEASED)
    found = {(e.breakdown, e.group, e.question) for e in attack([first, alone], every, ["sex"])}
    assert ("withdrawn1:sex", "female", "") in found  # 3 women, by differencing
    assert ("withdrawn1:area×sex", "A2|female", "bullied") in found

    second = publish(
        wave_data(AREAS, kept),
        monitoring=None,
        released_on=date(2026, 7, 1),
        earlier=Earlier([first], [wave_data(AREAS, wrong)]),
        reason="a file from another wave",
    )
    assert attack([first, second], every, ["sex"]) == []
    assert (second.version, second.supersedes, second.reason) == (2, 1, "a file from another wave")
    # What the file did not touch is still published, corrected.
    assert shown(second, "area", "A2") == 37 and shown(second, "area", "A1") == 42
    assert shown(second, "sex", "female") is None


def test_a_second_correction_is_audited_with_both_versions_before_it() -> None:
    kept = staff_kept()
    first_file = people("A2", "female", 3, bullied="yes") + people("A2", "male", 9)
    second_file = people("A3", "female", 2, bullied="yes") + people("A1", "male", 14)
    v1 = publish(
        wave_data(AREAS, kept + first_file + second_file), monitoring=None, released_on=RELEASED
    )
    v2 = publish(
        wave_data(AREAS, kept + second_file),
        monitoring=None,
        released_on=RELEASED,
        earlier=Earlier([v1], [wave_data(AREAS, first_file)]),
    )
    withdrawn = [wave_data(AREAS, first_file), wave_data(AREAS, second_file)]
    v3 = publish(
        wave_data(AREAS, kept),
        monitoring=None,
        released_on=RELEASED,
        earlier=Earlier([v1, v2], withdrawn),
    )
    assert (v3.version, v3.supersedes) == (3, 2)
    every = (
        kept
        + [{**row, "part": 1} for row in first_file]
        + [{**row, "part": 2} for row in second_file]
    )
    assert attack([v1, v2, v3], every, ["sex"]) == []
    alone = publish(wave_data(AREAS, kept), monitoring=None, released_on=RELEASED)
    assert attack([v1, v2, alone], every, ["sex"]) != []


def test_a_correction_lists_comments_only_where_they_are_what_was_listed_before() -> None:
    def with_comments(rows: list[dict[str, Any]], said: list[tuple[str, str]]) -> WaveData:
        data = wave_data(AREAS, rows)
        data.comments = pd.DataFrame(
            [(str(i), unit, "fair", text) for i, (unit, text) in enumerate(said)],
            columns=["response", "unit", "question", "text"],
        )
        return data

    kept = people("A1", "male", 30) + people("A2", "male", 25) + people("A3", "female", 20)
    wrong = people("A1", "female", 12)
    said = [("A1", "The rota is fair"), ("A2", "More training please"), ("A3", "Good team")]
    wrong_said = [("A1", "My manager shouts at me")]
    first = publish(
        with_comments(kept + wrong, said + wrong_said), monitoring=None, released_on=RELEASED
    )
    assert {c.text for c in first.comments} == {text for _, text in said + wrong_said}
    second = publish(
        with_comments(kept, said),
        monitoring=None,
        released_on=RELEASED,
        earlier=Earlier([first], [with_comments(wrong, wrong_said)]),
    )
    # Area One's list (and the whole service's) lost the withdrawn comment: set beside
    # version 1 it would point it out, so neither is listed. The other areas' are as before.
    assert "A1" in first.comment_units and "A1" not in second.comment_units
    assert "SVC" not in second.comment_units
    assert {c.text for c in second.comments} == {"More training please", "Good team"}


def test_a_correction_refuses_responses_that_no_longer_add_up_to_what_was_published() -> None:
    rows = people("A1", "male", 30, bullied="no") + people("A2", "female", 12, bullied="no")
    first = publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)
    changed = rows[:-1]  # one response lost since: version 1's figures cannot be rebuilt
    with pytest.raises(MismatchError, match="version 1 showed 42 respondents for all all"):
        publish(
            wave_data(AREAS, changed[:20]),
            monitoring=None,
            released_on=RELEASED,
            earlier=Earlier([first], [wave_data(AREAS, changed[20:])]),
        )


# --- counts shown while the wave was open ---------------------------------------------------

ONE_STATION_EACH = [
    ("SVC", "Service", "service", None, None),
    ("A", "Area A", "area", "SVC", None),
    ("S1", "Station One", "station", "A", None),
    ("B", "Area B", "area", "SVC", None),
    ("S2", "Station Two", "station", "B", None),
]


def test_counts_shown_while_the_wave_was_open_are_audited_as_published() -> None:
    # Area A (5) is shown, Station One's 3 hidden: alone, that leaves 0 to 5 for the
    # station. But if /progress had shown that area A's own pool and Station One's each
    # had at least 2 released, the station would be pinned to 2 or 3.
    rows = (
        people("SVC", "male", 6)
        + people("A", "male", 2)
        + people("S1", "male", 3, bullied="yes")
        + people("B", "male", 2)
        + people("S2", "male", 14)
    )
    shown_during = {"A": 2, "S1": 2}
    unaware = publish(wave_data(ONE_STATION_EACH, rows), monitoring=None, released_on=RELEASED)
    assert shown(unaware, "area", "A") == 5 and shown(unaware, "station", "S1") is None
    unaware.progress = shown_during  # what an attacker holds: this release and the counts
    assert [(e.group, e.reason) for e in attack(unaware, rows, ["sex"])] == [("S1", "2-3")]

    data = wave_data(ONE_STATION_EACH, rows)
    data.progress = shown_during
    publication = publish(data, monitoring=None, released_on=RELEASED)
    assert publication.progress == shown_during
    assert publication.audit.progress_counts == 2
    assert "shown for 2 units while the wave was open" in publication.audit.sentence()
    assert attack(publication, rows, ["sex"]) == []
    assert Publication.from_json(publication.to_json()) == publication


def test_a_count_shown_that_the_responses_no_longer_reach_is_refused() -> None:
    data = wave_data(ONE_STATION_EACH, people("S2", "male", 14))
    data.progress = {"S2": 20}
    with pytest.raises(MismatchError, match="pool S2 showed 20"):
        publish(data, monitoring=None, released_on=RELEASED)


def released_in_batches(
    units: list[tuple[Any, ...]], rows: list[dict[str, Any]], size: int = 10
) -> dict[str, int]:
    """What /progress could have shown: each pool's whole batches of `size`."""
    kind = {u[0]: u[2] for u in units}
    parent = {u[0]: u[3] for u in units}
    pools: dict[str, int] = {}
    for row in rows:
        unit = row["unit"]
        pool = parent[unit] if kind[unit] == "watch" and parent[unit] else unit
        pools[pool] = pools.get(pool, 0) + 1
    return {p: n // size * size for p, n in pools.items() if n >= size}


# --- random trees under attack ---------------------------------------------------------------


@st.composite
def organisations(draw: st.DrawFn) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    depth = draw(st.integers(2, 4))
    units: list[tuple[Any, ...]] = [("SVC", "Service", "service", None, None)]
    leaves = ["SVC"]
    if depth >= 2:
        areas = [f"A{i}" for i in range(draw(st.integers(1, 2)))]
        units += [(a, a, "area", "SVC", None) for a in areas]
        leaves = areas
    if depth >= 3:
        stations = []
        for area in leaves:
            for j in range(draw(st.integers(1, 2))):
                stations.append((f"{area}S{j}", area))
        units += [(s, s, "station", a, None) for s, a in stations]
        leaves = [s for s, _ in stations]
    if depth >= 4:
        watches = []
        for station in leaves:
            for w in range(draw(st.integers(1, 2))):
                watches.append((f"{station}W{w}", station))
        units += [(w, w, "watch", s, None) for w, s in watches]
        leaves = [w for w, _ in watches]
    if draw(st.booleans()):
        units.append(("CTRL", "Fire Control", "department", "SVC", None))
        leaves = [*leaves, "CTRL"]
    rows: list[dict[str, Any]] = []
    for leaf in leaves:
        size = draw(st.sampled_from([1, 2, 3, 4, 6, 9, 14, 25]))
        for _ in range(size):
            rows.append(
                {
                    "unit": leaf,
                    "sex": draw(st.sampled_from(["female", "male", "male", None])),
                    "disability": draw(
                        st.sampled_from(["disabled", "not_disabled", "not_disabled", None])
                    ),
                    "fair": draw(st.sampled_from(["agree", "disagree", "neutral"])),
                    "bullied": draw(st.sampled_from(["yes", "no", "no", None])),
                }
            )
    return units, rows


@settings(
    max_examples=int(os.environ.get("FIREVOICE_ATTACK_EXAMPLES", "25")),
    # The same examples on every run: the audit's model is a relaxation of this attacker's
    # (docs/privacy.md, "What the audit does not cover"), and longer campaigns can find a
    # rare case it misses (FIREVOICE_ATTACK_EXAMPLES=500 found none on 28 November 2026,
    # once unanimous answers were checked in groups that may be empty).
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(organisations(), st.sampled_from([5, 6]), st.sampled_from([5, 10]))
def test_no_hidden_small_group_can_be_worked_out_on_random_trees(
    organisation: tuple[list[tuple[Any, ...]], list[dict[str, Any]]], k_unit: int, k_char: int
) -> None:
    units, rows = organisation
    data = wave_data(units, rows, k_unit=k_unit, k_char=k_char)
    data.progress = released_in_batches(units, rows)  # as if /progress showed them all
    publication = publish(data, monitoring=None, released_on=RELEASED)
    assert attack(publication, rows, ["sex", "disability"]) == []


# Found by FIREVOICE_ATTACK_EXAMPLES=500 (28 November 2026): a hidden sex x disability
# group that the unit x sex x disability cube shows is not empty, and the margins show all
# answered "no". The audit links the two-way tables only through their margins, so it
# cannot prove the group is not empty; it protects it by checking unanimous answers in
# groups that may be empty (docs/privacy.md, rule 3, and "What the audit does not
# cover"). (unit, sex, disability, fair, bullied, how many)
THREE_WAY_UNITS = [
    ("SVC", "Service", "service", None, None),
    ("A0", "A0", "area", "SVC", None),
    ("A1", "A1", "area", "SVC", None),
    ("A0S0", "A0S0", "station", "A0", None),
    ("A0S1", "A0S1", "station", "A0", None),
    ("A1S0", "A1S0", "station", "A1", None),
    ("A0S0W0", "A0S0W0", "watch", "A0S0", None),
    ("A0S0W1", "A0S0W1", "watch", "A0S0", None),
    ("A0S1W0", "A0S1W0", "watch", "A0S1", None),
    ("A1S0W0", "A1S0W0", "watch", "A1S0", None),
    ("A1S0W1", "A1S0W1", "watch", "A1S0", None),
    ("CTRL", "Fire Control", "department", "SVC", None),
]
THREE_WAY_ROWS = [
    ("A0S0W0", "female", "not_disabled", "neutral", "yes", 1),
    ("A0S0W0", "male", "disabled", "agree", "yes", 1),
    ("A0S0W1", None, "disabled", "agree", "yes", 1),
    ("A0S0W1", None, "not_disabled", "disagree", "no", 2),
    ("A0S0W1", "female", "disabled", "neutral", "no", 1),
    ("A0S0W1", "male", None, "neutral", "yes", 2),
    ("A0S0W1", "male", "disabled", "disagree", None, 1),
    ("A0S0W1", "male", "disabled", "neutral", None, 1),
    ("A0S0W1", "male", "not_disabled", "agree", "no", 1),
    ("A0S1W0", None, "not_disabled", "agree", "no", 1),
    ("A0S1W0", None, "not_disabled", "disagree", None, 1),
    ("A0S1W0", "female", None, "disagree", None, 1),
    ("A0S1W0", "female", "not_disabled", "disagree", "no", 1),
    ("A0S1W0", "female", "not_disabled", "neutral", "yes", 1),
    ("A0S1W0", "male", None, "agree", "yes", 1),
    ("A0S1W0", "male", None, "disagree", None, 1),
    ("A0S1W0", "male", "disabled", "agree", "no", 1),
    ("A0S1W0", "male", "disabled", "disagree", "yes", 1),
    ("A1S0W0", None, None, "agree", "no", 1),
    ("A1S0W0", None, None, "neutral", "no", 1),
    ("A1S0W0", None, "disabled", "agree", None, 1),
    ("A1S0W0", None, "disabled", "neutral", "yes", 1),
    ("A1S0W0", None, "not_disabled", "agree", "yes", 2),
    ("A1S0W0", None, "not_disabled", "disagree", "no", 1),
    ("A1S0W0", None, "not_disabled", "neutral", "yes", 1),
    ("A1S0W0", "female", "not_disabled", "agree", "yes", 1),
    ("A1S0W0", "female", "not_disabled", "disagree", None, 1),
    ("A1S0W0", "female", "not_disabled", "disagree", "no", 1),
    ("A1S0W0", "male", None, "agree", "no", 1),
    ("A1S0W0", "male", None, "agree", "yes", 1),
    ("A1S0W0", "male", None, "disagree", "no", 1),
    ("A1S0W0", "male", None, "neutral", None, 1),
    ("A1S0W0", "male", "disabled", "disagree", "yes", 2),
    ("A1S0W0", "male", "not_disabled", "agree", None, 1),
    ("A1S0W0", "male", "not_disabled", "agree", "no", 4),
    ("A1S0W0", "male", "not_disabled", "neutral", None, 1),
    ("A1S0W0", "male", "not_disabled", "neutral", "no", 2),
    ("A1S0W1", None, "not_disabled", "neutral", "no", 1),
    ("A1S0W1", "female", "disabled", "disagree", "no", 1),
    ("A1S0W1", "male", "not_disabled", "disagree", None, 1),
    ("CTRL", "female", None, "disagree", "no", 2),
    ("CTRL", "female", None, "neutral", None, 1),
    ("CTRL", "female", None, "neutral", "no", 1),
    ("CTRL", "female", "not_disabled", "disagree", "no", 2),
    ("CTRL", "male", None, "agree", "no", 1),
    ("CTRL", "male", "disabled", "neutral", "no", 1),
    ("CTRL", "male", "not_disabled", "neutral", None, 1),
]


def test_three_way_tables_do_not_show_how_a_small_group_answered() -> None:
    rows = [
        {"unit": unit, "sex": sex, "disability": disability, "fair": fair, "bullied": bullied}
        for unit, sex, disability, fair, bullied, count in THREE_WAY_ROWS
        for _ in range(count)
    ]
    data = wave_data(THREE_WAY_UNITS, rows, k_unit=6, k_char=5)
    data.progress = released_in_batches(THREE_WAY_UNITS, rows)
    publication = publish(data, monitoring=None, released_on=RELEASED)
    # The whole attack finds this one group (about 30 s); attacking it alone is quicker.
    only = {("sex×disability", "female|not_answered")}
    assert attack(publication, rows, ["sex", "disability"], only) == []


@settings(
    max_examples=int(os.environ.get("FIREVOICE_ATTACK_EXAMPLES", "25")) // 6,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(organisations(), st.data())
def test_a_correction_and_the_version_it_replaces_hold_together_on_random_trees(
    organisation: tuple[list[tuple[Any, ...]], list[dict[str, Any]]], data: st.DataObject
) -> None:
    units, rows = organisation
    withdrawn = data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1), label="withdrawn")
    kept = [row for i, row in enumerate(rows) if i not in withdrawn]
    wrong = [row for i, row in enumerate(rows) if i in withdrawn]
    first = publish(wave_data(units, rows), monitoring=None, released_on=RELEASED)
    second = publish(
        wave_data(units, kept),
        monitoring=None,
        released_on=RELEASED,
        earlier=Earlier([first], [wave_data(units, wrong)]),
    )
    every = kept + [{**row, "part": 1} for row in wrong]
    # The correction tells nothing more than version 1 alone (which, in rare cases, the
    # audit's linked tables cannot fully protect: docs/privacy.md, "What the audit does not
    # cover").
    before = attack(first, rows, ["sex", "disability"])
    assert set(attack([first, second], every, ["sex", "disability"])) <= set(before)


@pytest.mark.parametrize("combination", list(itertools.product(["female", "male"], repeat=2)))
def test_pairs_of_characteristics_hold_against_the_full_cross_classification(
    combination: tuple[str, str],
) -> None:
    # Sex x disability is published beside area x sex and area x disability: the attacker
    # reasons on the full cross-classification, which links all three.
    first, second = combination
    rows = (
        [
            {**p, "long_term_condition": "yes", "condition_impact": "a_lot"}
            for p in people("A1", first, 3)
        ]
        + [{**p, "long_term_condition": "no"} for p in people("A1", second, 25)]
        + [{**p, "long_term_condition": "no"} for p in people("A2", "male", 30)]
        + [
            {**p, "long_term_condition": "yes", "condition_impact": "a_little"}
            for p in people("A2", "female", 11)
        ]
    )
    for row in rows:
        row["disability"] = None
    publication = publish(wave_data(AREAS, rows), monitoring=None, released_on=RELEASED)
    varying = ["sex", "disability"]
    for row in rows:
        condition = row.get("long_term_condition")
        row["disability"] = "disabled" if condition == "yes" else "not_disabled"
    assert attack(publication, rows, varying) == []
