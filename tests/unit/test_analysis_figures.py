"""Known answers: every figure checked against a hand computation."""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from analysis import stats
from analysis.tables import compute
from tests.analysis_fixtures import LABELS, wave


def row(tables, question: str, breakdown: str, group: str):  # type: ignore[no-untyped-def]
    r = tables.results
    match = r[(r["question"] == question) & (r["breakdown"] == breakdown) & (r["group"] == group)]
    assert len(match) == 1, (question, breakdown, group)
    return match.iloc[0]


def test_wilson_interval_matches_the_textbook_and_scipy() -> None:
    low, high = stats.wilson_interval([8], [10])
    assert (round(low[0], 4), round(high[0], 4)) == (0.4902, 0.9433)
    expected = scipy_stats.binomtest(37, 120).proportion_ci(method="wilson")
    low, high = stats.wilson_interval([37], [120])
    assert math.isclose(low[0], expected.low, rel_tol=1e-9)
    assert math.isclose(high[0], expected.high, rel_tol=1e-9)
    low, high = stats.wilson_interval([0], [0])
    assert math.isnan(low[0]) and math.isnan(high[0])


def test_gap_test_uses_fisher_when_expected_counts_are_small() -> None:
    small = stats.gap_test(1, 10, 30, 40)
    assert small.method == "Fisher's exact"
    assert math.isclose(small.p_value, scipy_stats.fisher_exact([[1, 9], [30, 10]]).pvalue)
    large = stats.gap_test(40, 100, 70, 100)
    assert large.method == "chi-square"
    assert math.isclose(large.p_value, scipy_stats.chi2_contingency([[40, 60], [70, 30]]).pvalue)


def test_benjamini_hochberg_adjusts_across_tests() -> None:
    adjusted = stats.benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert [round(v, 4) for v in adjusted] == [0.04, 0.0533, 0.0533, 0.2]


def test_favourable_counts_neutral_but_not_prefer_not_to_say() -> None:
    # 20 people at STN1-R: 6 strongly agree, 6 agree, 4 neutral, 2 disagree, 2 strongly disagree.
    answers = (
        ["strongly_agree"] * 6
        + ["agree"] * 6
        + ["neutral"] * 4
        + ["disagree"] * 2
        + ["strongly_disagree"] * 2
    )
    rows = [{"unit": "STN1-R", "values_lived": a, "enps": "5"} for a in answers]
    tables = compute(wave(rows), LABELS)
    overall = row(tables, "values_lived", "all", "all")
    assert overall["n"] == 20
    assert overall["pct_favourable"] == pytest.approx(60.0)
    assert overall["mean"] == pytest.approx((6 * 5 + 6 * 4 + 4 * 3 + 2 * 2 + 2 * 1) / 20)
    low, high = stats.wilson_interval([12], [20])
    assert overall["ci_low"] == pytest.approx(low[0] * 100)
    assert overall["ci_high"] == pytest.approx(high[0] * 100)
    assert bool(overall["indicative"]) is True  # base under 30


def test_enps_and_mean_on_the_0_to_10_scale() -> None:
    scores = ["10", "10", "9", "8", "7", "6", "3", "0", "9", "9"]
    rows = [{"unit": "STN3", "enps": s, "values_lived": "agree"} for s in scores]
    tables = compute(wave(rows), LABELS)
    overall = row(tables, "enps", "all", "all")
    # promoters 5 (10,10,9,9,9), detractors 3 (6,3,0): (5-3)/10 = +20
    assert overall["enps"] == pytest.approx(20.0)
    assert overall["mean"] == pytest.approx(sum(int(s) for s in scores) / 10)


def test_yes_no_and_prefer_not_to_say() -> None:
    answers = ["yes"] * 3 + ["no"] * 6 + ["prefer_not_to_say"] * 3
    rows = [{"unit": "STN3", "experienced_bhd": a, "values_lived": "agree"} for a in answers]
    tables = compute(wave(rows), LABELS)
    overall = row(tables, "experienced_bhd", "all", "all")
    assert overall["n"] == 12
    assert overall["pct_yes"] == pytest.approx(100 * 3 / 9)
    dist = tables.distribution
    pnts = dist[
        (dist["question"] == "experienced_bhd")
        & (dist["breakdown"] == "all")
        & (dist["option"] == "prefer_not_to_say")
    ]
    assert pnts.iloc[0]["count"] == 3


def test_units_roll_up_the_tree_with_response_rates() -> None:
    rows = [{"unit": "STN1-R", "values_lived": "agree"}] * 8 + [
        {"unit": "STN1-W", "values_lived": "disagree"}
    ] * 6
    rows += [{"unit": "STN3", "values_lived": "agree"}] * 10
    tables = compute(wave(rows), LABELS)
    assert row(tables, "values_lived", "station", "STN1")["n"] == 14
    assert row(tables, "values_lived", "station", "STN1")["pct_favourable"] == pytest.approx(
        100 * 8 / 14
    )
    assert row(tables, "values_lived", "area", "AREA1")["n"] == 14
    assert row(tables, "values_lived", "service", "SVC")["n"] == 24
    rates = tables.response_rates.set_index("unit")
    assert rates.loc["STN1", "response_rate"] == pytest.approx(14 / 40 * 100)
    assert rates.loc["SVC", "response_rate"] == pytest.approx(24 / 100 * 100)


def test_characteristics_include_prefer_not_to_say_and_not_answered_as_groups() -> None:
    rows = (
        [{"unit": "STN3", "sex": "female", "values_lived": "agree"}] * 12
        + [{"unit": "STN3", "sex": "male", "values_lived": "disagree"}] * 15
        + [{"unit": "STN3", "sex": "prefer_not_to_say", "values_lived": "agree"}] * 10
        + [{"unit": "STN3", "values_lived": "neutral"}] * 11
    )
    tables = compute(wave(rows), LABELS)
    assert row(tables, "values_lived", "sex", "female")["pct_favourable"] == pytest.approx(100)
    assert row(tables, "values_lived", "sex", "prefer_not_to_say")["n"] == 10
    assert row(tables, "values_lived", "sex", "not_answered")["n"] == 11
    gaps = tables.gaps
    female = gaps[
        (gaps["question"] == "values_lived")
        & (gaps["breakdown"] == "sex")
        & (gaps["group"] == "female")
    ].iloc[0]
    assert female["value"] == pytest.approx(100)
    assert female["rest_value"] == pytest.approx(100 * 10 / 36)
    assert female["method"] == "chi-square"


def test_comments_are_redacted_and_shown_only_for_groups_of_ten() -> None:
    rows = [{"unit": "STN3", "values_lived": "agree"}] * 10
    comments = [("STN3", "Ask WM Jones, 07700 900123"), ("STN3", "Good kit")]
    tables = compute(wave(rows, comments=comments), LABELS)
    assert sorted(tables.comments["text"]) == ["Ask [removed], [removed]", "Good kit"]
    few = compute(wave(rows[:9], comments=comments), LABELS)
    assert few.comments.empty


def test_comments_cannot_be_pinned_on_a_small_watch_by_comparing_two_reports() -> None:
    # Station One: 12 on Red watch, 3 on White. The station (15) may show its comments, but
    # if Red's report showed Red's, the station's minus Red's would be White's three.
    rows = [{"unit": "STN1-R", "values_lived": "agree"}] * 12 + [
        {"unit": "STN1-W", "values_lived": "agree"}
    ] * 3
    comments = [("STN1-R", "Red kit is fine"), ("STN1-W", "White watch bullies me")]
    data = wave(rows, comments=comments)
    station = compute(data, LABELS, scope="STN1")
    assert sorted(station.comments["text"]) == ["Red kit is fine", "White watch bullies me"]
    assert compute(data, LABELS, scope="STN1-R").comments.empty
    assert compute(data, LABELS, scope="STN1-W").comments.empty
    # With ten on each watch, each watch's report shows its own.
    even = [{"unit": "STN1-R", "values_lived": "agree"}] * 10 + [
        {"unit": "STN1-W", "values_lived": "agree"}
    ] * 10
    red = compute(wave(even, comments=comments), LABELS, scope="STN1-R")
    assert list(red.comments["text"]) == ["Red kit is fine"]
