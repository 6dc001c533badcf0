"""Progress counts during an open wave: what /progress may show (surveys/progress.py)."""

from __future__ import annotations

from datetime import date

from surveys.progress import ProgressUnit, Tree, days_left, pool_of, rows, shown_pools

UNITS = [
    ProgressUnit("SVC", "Service", "service", None, 200),
    ProgressUnit("N", "North", "area", "SVC", 120),
    ProgressUnit("S", "South", "area", "SVC", 80),
    ProgressUnit("ASH", "Ashford", "station", "N", 60),
    ProgressUnit("ASH-R", "Ashford Red", "watch", "ASH", 30),
    ProgressUnit("ASH-W", "Ashford White", "watch", "ASH", 30),
    ProgressUnit("BRY", "Bray", "station", "N", 40),
    ProgressUnit("CTR", "Control", "department", "SVC", None),
]


def test_a_watch_waits_with_its_station_and_every_other_unit_is_its_own_pool() -> None:
    assert pool_of("ASH-R", "watch", "ASH") == "ASH"
    assert pool_of("ASH", "station", "N") == "ASH"
    assert pool_of("N", "area", "SVC") == "N"
    assert pool_of("LONE", "watch", None) == "LONE"


def test_counts_are_sums_of_released_pools_and_hidden_under_the_threshold() -> None:
    tree = Tree(UNITS)
    released = {"ASH": 20, "BRY": 10, "N": 0, "CTR": 10}
    shown = rows(tree, released, "SVC", k_unit=5)
    assert [(r.code, r.count, r.depth) for r in shown] == [
        ("SVC", 40, 0),
        ("CTR", 10, 1),
        ("N", 30, 1),
        ("S", None, 1),  # nothing released yet: not shown as a number
    ]
    assert shown[0].rate == 20.0
    assert shown[1].rate is None  # no headcount, no rate
    assert [r.drill for r in shown] == [True, False, True, False]


def test_a_station_shows_no_watch_counts() -> None:
    tree = Tree(UNITS)
    shown = rows(tree, {"ASH": 20}, "ASH", k_unit=5)
    assert [(r.code, r.count) for r in shown] == [("ASH", 20)]
    assert not tree.counted("ASH-R")
    assert rows(tree, {"ASH": 20}, "ASH-R", k_unit=5)[0].count is None


def test_a_count_below_k_is_never_shown_even_if_a_batch_was_smaller() -> None:
    # Batches are at least k_unit, so this only guards the rule itself.
    shown = rows(Tree(UNITS), {"BRY": 4}, "BRY", k_unit=5)
    assert shown[0].count is None


def test_what_a_view_discloses_is_every_pool_it_counted() -> None:
    tree = Tree(UNITS)
    released = {"ASH": 20, "BRY": 10, "CTR": 10}
    assert shown_pools(tree, released, "N") == {"ASH": 20, "BRY": 10}
    assert shown_pools(tree, released, "ASH") == {"ASH": 20}
    assert shown_pools(tree, released, "ASH-W") == {}  # a watch view shows no count
    assert shown_pools(tree, released, "SVC") == {"ASH": 20, "BRY": 10, "CTR": 10}


def test_days_left_count_today_and_stop_at_zero() -> None:
    assert days_left(date(2026, 12, 10), date(2026, 12, 1)) == 10
    assert days_left(date(2026, 12, 1), date(2026, 12, 1)) == 1
    assert days_left(date(2026, 11, 30), date(2026, 12, 1)) == 0
    assert days_left(None, date(2026, 12, 1)) is None
