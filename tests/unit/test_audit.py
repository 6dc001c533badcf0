"""The audit's programs: counts that published figures pin on their own are taken out
before solving; that changes no bound, and a proof still names the figures it rests on
(analysis/audit.py, Reduced)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

from analysis.audit import AuditStats, Program

Row = tuple[list[int], list[float], float, float, str | None]


def _program(columns: int, rows: Sequence[Row]) -> Program:
    program = Program(columns)
    for members, coefficients, low, high, tag in rows:
        program.row(
            np.asarray(members), np.asarray(coefficients), low, high, (tag, 0) if tag else None
        )
    return program


def _random_program(
    rng: np.random.Generator, columns: int, figures: int, smallest: int
) -> tuple[Program, list[Row], np.ndarray]:
    """Published sums of `smallest` to 4 random unknowns of a random truth (some 0)."""
    truth = rng.integers(0, 4, columns) * (rng.random(columns) < 0.7)
    rows: list[Row] = []
    for _ in range(figures):
        members = sorted(
            int(c) for c in rng.choice(columns, int(rng.integers(smallest, 5)), replace=False)
        )
        value = float(truth[members].sum())
        rows.append((members, [1.0] * len(members), value, value, "shown"))
    program = _program(columns, rows)
    program.truth = truth.astype(float)
    return program, rows, truth


def test_pinned_counts_change_no_bound() -> None:
    """Random programs with shown zeros and one-count figures: every bound the reduced
    program gives is the whole program's linear optimum (solved apart, by scipy)."""
    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(40):
        columns = 9
        program, rows, _ = _random_program(rng, columns, figures=7, smallest=1)
        reduced = program.reduced()
        assert reduced.free < columns or all(len(r[0]) > 1 and r[2] > 0 for r in rows)
        matrix = np.zeros((len(rows), columns))
        for i, (members, _, _, _, _) in enumerate(rows):
            matrix[i, members] = 1.0
        sums = np.array([r[2] for r in rows])
        for column in range(columns):
            for maximise in (False, True):
                cost = np.zeros(columns)
                cost[column] = -1.0 if maximise else 1.0
                expected = linprog(cost, A_eq=matrix, b_eq=sums, bounds=(0, None))
                got = program.extreme(
                    np.array([column]), np.ones(1), maximise, AuditStats(), exact=False
                )
                if expected.status == 3:  # unbounded: no published figure holds it
                    assert got is None or maximise
                    continue
                if got is not None:
                    compared += 1
                    assert abs(got - abs(expected.fun)) < 1e-6
    assert compared > 500


def test_a_proof_names_the_figure_that_pinned_a_count_only_where_it_needs_it() -> None:
    # x0 + x1 = 0 (A, a shown zero), x2 = 5 (B, a group of one base cell),
    # x2 + x3 + x4 = 8 (C), x4 <= 2; x5 + x6 = 0 (E), x3 + x5 <= 2 (H).
    program = _program(
        7,
        [
            ([0, 1], [1, 1], 0, 0, "A"),
            ([2], [1], 5, 5, "B"),
            ([2, 3, 4], [1, 1, 1], 8, 8, "C"),
            ([4], [1], -np.inf, 2, None),
            ([5, 6], [1, 1], 0, 0, "E"),
            ([3, 5], [1, 1], -np.inf, 2, "H"),
        ],
    )
    program.truth = np.array([0, 0, 5, 2, 1, 0, 0], dtype=float)
    assert program.reduced().free == 2  # x3 and x4
    stats = AuditStats()
    # The low of x3 rests on C and on B, which pinned x2 in it.
    assert program.extreme(np.array([3]), np.ones(1), False, stats) == 1
    assert program.binding == {("C", 0), ("B", 0)}
    # Its high rests on H alone: x5 would only lower it, so E is not needed.
    assert program.extreme(np.array([3]), np.ones(1), True, stats) == 2
    assert program.binding == {("H", 0)}
    # A sum of pinned counts needs no solve; its high names the figures that pinned them
    # (x0 could grow but for A), its low only B (x0 is at least 0 anyway).
    before = stats.programs
    assert program.extreme(np.array([0, 2]), np.ones(2), True, stats) == 5
    assert program.binding == {("A", 0), ("B", 0)}
    assert program.extreme(np.array([0, 2]), np.ones(2), False, stats) == 5
    assert program.binding == {("B", 0)}
    assert stats.programs == before


def test_a_lift_remembers_only_points_every_figure_allows() -> None:
    """Program.lift fills the pool the audit takes as proof that a sum can be above 0 (a
    group that may hold other answers): each point must agree with every published
    figure, be whole and never negative, and lift every sum it can at once."""
    rng = np.random.default_rng(11)
    remembered = 0
    for _ in range(40):
        columns = 10
        program, rows, truth = _random_program(rng, columns, figures=6, smallest=2)
        groups = [np.flatnonzero(truth == 0)[:2], np.array([int(rng.integers(columns))])]
        groups = [g for g in groups if len(g)]
        before = len(program.pool)
        program.lift(groups, AuditStats())
        for point in program.pool[before:]:
            remembered += 1
            assert np.all(point >= 0) and np.array_equal(point, np.round(point))
            for members, _, low, high, _ in rows:
                assert low - 1e-9 <= point[members].sum() <= high + 1e-9
    assert remembered > 20

    # Two groups that can both be above 0 at once are, by one solution.
    program = _program(
        4, [([0, 1], [1, 1], 2, 2, "A"), ([2, 3], [1, 1], 2, 2, "B"), ([0, 2], [1, 1], 2, 4, None)]
    )
    program.truth = np.array([2, 0, 2, 0], dtype=float)
    program.lift([np.array([1]), np.array([3])], AuditStats())
    assert program.reach(np.array([1]))[1] >= 1 and program.reach(np.array([3]))[1] >= 1
    assert any(point[1] >= 1 and point[3] >= 1 for point in program.pool)
