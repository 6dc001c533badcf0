"""Disclosure control under attack: nothing hidden can be recovered from what is shown."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import disclosure
from analysis.data import LEVELS
from analysis.tables import compute
from surveys.equality import ETHNIC_GROUPS
from tests.analysis_fixtures import LABELS, UNITS, wave


def safe(recoverable: float, k: int) -> bool:
    return recoverable == 0 or recoverable >= k


@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=12),
    k=st.integers(5, 12),
    unpublished=st.integers(0, 15),
)
def test_a_partition_never_leaves_a_small_remainder(
    counts: list[int], k: int, unpublished: int
) -> None:
    hidden = disclosure.protect_partition(counts, k, unpublished=unpublished)
    assert all(i in hidden for i, n in enumerate(counts) if 0 < n < k)
    visible_nonzero = [i for i, n in enumerate(counts) if i not in hidden and n > 0]
    if visible_nonzero:
        assert safe(unpublished + sum(counts[i] for i in hidden), k)


def test_the_classic_seven_men_and_one_woman() -> None:
    # Total 8 is published; hiding only the woman would let total - men reveal her.
    assert disclosure.protect_partition([7, 1], 5) == {0, 1}


@given(
    cells=st.lists(st.lists(st.integers(0, 25), min_size=3, max_size=3), min_size=2, max_size=5),
    k=st.integers(5, 10),
    extra_rows=st.lists(st.integers(0, 8), min_size=5, max_size=5),
    extra_cols=st.lists(st.integers(0, 8), min_size=3, max_size=3),
)
def test_a_two_way_table_protects_every_row_and_column(
    cells: list[list[int]], k: int, extra_rows: list[int], extra_cols: list[int]
) -> None:
    rows = len(cells)
    row_totals = [sum(r) + extra_rows[i] for i, r in enumerate(cells)]
    col_totals = [sum(cells[r][c] for r in range(rows)) + extra_cols[c] for c in range(3)]
    hidden = disclosure.protect_table(cells, row_totals, col_totals, k)
    for r in range(rows):
        shown = [c for c in range(3) if (r, c) not in hidden and cells[r][c] > 0]
        if shown:
            assert safe(row_totals[r] - sum(cells[r][c] for c in shown), k)
    for c in range(3):
        shown = [r for r in range(rows) if (r, c) not in hidden and cells[r][c] > 0]
        if shown:
            assert safe(col_totals[c] - sum(cells[r][c] for r in shown), k)


UNIT_CHOICES = ["STN1-R", "STN1-W", "STN1", "STN2", "STN3", "AREA2"]
ETHNICITY = [
    "white_british",
    "white_irish",
    "asian_indian",
    "asian_pakistani",
    "black_african",
    "prefer_not_to_say",
    None,
]
SEX = ["female", "male", "prefer_not_to_say", None]
ANSWER = ["agree", "disagree", "neutral", "strongly_agree"]

respondent = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNIT_CHOICES),
        "sex": st.sampled_from(SEX),
        "ethnicity": st.sampled_from(ETHNICITY),
        "disability": st.sampled_from(["disabled", "not_disabled", None]),
        "values_lived": st.sampled_from(ANSWER),
    }
)


def published(results: pd.DataFrame, breakdown: str) -> dict[str, float]:
    rows = results[(results["breakdown"] == breakdown) & ~results["suppressed"]]
    return dict(zip(rows["group"], rows["n"], strict=True))


def attack(tables, k_unit: int, k_char: int) -> None:  # type: ignore[no-untyped-def]
    """Try every subtraction an outsider could do with the published counts."""
    results = tables.results[tables.results["question"] == "values_lived"]
    for breakdown, k in [
        *((level, k_unit) for level in LEVELS),
        ("sex", k_char),
        ("ethnicity", k_char),
        ("ethnic_group", k_char),
        ("disability", k_char),
    ]:
        for group, n in published(results, breakdown).items():
            assert not 0 < n < k, f"{breakdown}/{group} shows n={n} under k={k}"
    total = published(results, "all").get("all")
    # Organisation tree: parent minus its visible children.
    unit_n = {g: n for level in LEVELS for g, n in published(results, level).items()}
    children = defaultdict(list)
    for code, _name, _kind, parent, _headcount in UNITS:
        if parent:
            children[parent].append(code)
    # A hidden unit whose children are all shown can be rebuilt by adding them up (an
    # outsider may assume nobody is attached to the station itself rather than a watch).
    rebuilt = dict(unit_n)
    for parent, kids in children.items():
        if parent not in unit_n and kids and all(c in unit_n for c in kids):
            rebuilt[parent] = sum(unit_n[c] for c in kids)
    for parent, kids in children.items():
        if parent in unit_n:
            shown = [rebuilt[c] for c in kids if c in rebuilt and rebuilt[c] > 0]
            if shown:
                assert safe(unit_n[parent] - sum(shown), k_unit), f"children of {parent}"
    if total is not None:
        shown = [n for g, n in published(results, "service").items()]
        if shown:
            assert safe(total - sum(shown), k_unit)
        # Each characteristic: the total minus its visible groups.
        for breakdown in ("sex", "ethnic_group", "disability"):
            shown = list(published(results, breakdown).values())
            if shown:
                assert safe(total - sum(shown), k_char), breakdown
    # Ethnicity categories inside each visible ethnic group.
    groups = published(results, "ethnic_group")
    categories = published(results, "ethnicity")
    for group, members in ETHNIC_GROUPS.items():
        if group in groups:
            shown = [categories[c] for c in members if c in categories]
            if shown:
                assert safe(groups[group] - sum(shown), k_char), group
    # Intersections: each visible margin minus its visible cells.
    for breakdown in {b for b in results["breakdown"] if "×" in b}:
        first, second = breakdown.split("×")
        cells = published(results, breakdown)
        margins_first = published(results, first)
        margins_second = published(results, second)
        by_first: dict[str, list[float]] = defaultdict(list)
        by_second: dict[str, list[float]] = defaultdict(list)
        for key, n in cells.items():
            a, b = key.split("|")
            by_first[a].append(n)
            by_second[b].append(n)
        for a, shown in by_first.items():
            if a in margins_first:
                assert safe(margins_first[a] - sum(shown), k_char), (breakdown, a)
        for b, shown in by_second.items():
            if b in margins_second:
                assert safe(margins_second[b] - sum(shown), k_char), (breakdown, b)


@given(
    people=st.lists(respondent, min_size=0, max_size=70),
    k_unit=st.integers(5, 8),
    k_char=st.integers(5, 12),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_report_reveals_a_small_group_directly_or_by_subtraction(
    people: list[dict[str, object]], k_unit: int, k_char: int
) -> None:
    rows = [dict(p) for p in people]
    from surveys.equality import derive_ethnic_group

    for r in rows:
        r["ethnic_group"] = derive_ethnic_group(r["ethnicity"])  # type: ignore[arg-type]
    tables = compute(wave(rows, k_unit=k_unit, k_char=k_char), LABELS)
    attack(tables, k_unit, k_char)
    # A unit's view is cut from the same protected table, so the two cannot be subtracted.
    scoped = compute(wave(rows, k_unit=k_unit, k_char=k_char), LABELS, scope="STN1")
    merged = scoped.results.merge(
        tables.results, on=["question", "breakdown", "group"], suffixes=("_s", "_f")
    )
    assert len(merged) == len(scoped.results)
    assert (merged["suppressed_s"] == merged["suppressed_f"]).all()
    assert ((merged["n_s"] == merged["n_f"]) | (merged["n_s"].isna() & merged["n_f"].isna())).all()
    assert set(scoped.results["breakdown"]) <= {"all", *LEVELS}


def test_a_hidden_group_hides_its_figures_in_every_table() -> None:
    rows = [{"unit": "STN3", "sex": "male", "values_lived": "agree"}] * 30 + [
        {"unit": "STN3", "sex": "female", "values_lived": "strongly_disagree"}
    ] * 3
    tables = compute(wave(rows), LABELS)
    sex = tables.results[(tables.results["breakdown"] == "sex")]
    assert sex["suppressed"].all()  # female (3) hidden, so male (30) would reveal her
    assert sex[["n", "pct_favourable", "ci_low", "ci_high", "mean"]].isna().all().all()
    dist = tables.distribution[tables.distribution["breakdown"] == "sex"]
    assert dist["count"].isna().all()
    assert tables.gaps[tables.gaps["breakdown"] == "sex"].empty


def test_a_group_of_nobody_and_a_small_group_look_the_same() -> None:
    """A hidden group must not tell the reader that someone is in it."""
    from analysis.tables import compute
    from tests.analysis_fixtures import LABELS, wave

    rows = [{"unit": "STN1-R", "sex": "male", "values_lived": "agree"}] * 20
    rows += [{"unit": "STN3", "sex": "female", "values_lived": "agree"}] * 2
    results = compute(wave(rows), LABELS).results
    lived = results[results["question"] == "values_lived"].set_index(["breakdown", "group"])
    pairs = [
        (("sex", "female"), ("sex", "prefer_not_to_say")),  # 2 people / nobody
        (("area", "AREA2"), ("station", "STN2")),  # 2 people / nobody (sibling of STN1)
        (("station", "STN3"), ("watch", "STN1-W")),
        (("area×sex", "AREA2|female"), ("area×sex", "AREA1|female")),
    ]
    for small, empty in pairs:
        assert small in lived.index and empty in lived.index, (small, empty)
        a, b = lived.loc[small], lived.loc[empty]
        assert bool(a["suppressed"]) and bool(b["suppressed"])
        assert a.drop("question").isna().equals(b.drop("question").isna())
