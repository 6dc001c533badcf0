"""The disclosure audit: what an attacker can work out from everything a wave publishes.

The attacker's model is the one of the statistical disclosure control literature (Cox
1980; Fischetti and Salazar-González 2000; the "audit" of tau-Argus and sdcTable's
attack()). The unknowns are the base counts of the linked blocks (analysis/linked.py): how
many respondents, and how many of them gave each answer, in every base cell. Every
published number is one linear equation over them; counts are whole numbers and never
negative; a question's n is at most its group's respondents (equal to it for a question
everyone answers); a unit's respondents are at most its published headcount; a pool's
respondents are at least the highest released count it showed during the wave
(/progress). For each hidden cell, linear programs (HiGHS) find the smallest and largest
value the attacker can prove. Bounds are rounded inwards, since counts are whole; where
the linear program's optimum is not a whole-number point the integer program is solved
instead, so the bounds are exactly what an attacker who knows counts are whole can prove.

A hidden cell *fails* when:
* its range proves the group exists and is smaller than its threshold (low >= 1 and
  high <= k - 1); a range that still reaches 0 or k protects it;
* or, once the range proves the group is not empty, one of its answer counts is pinned
  to a single value above zero;
* or everyone in it is shown to have given the same answer.

Blocks are audited in *components*: blocks that share a hidden cell are solved together
(the shared cell is one unknown in both), blocks linked only through published cells
are independent and solved apart. Anything that does not solve fails closed.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sparse

from analysis.linked import Counts, QuestionCounts, Structure
from surveys.model import QuestionType

log = logging.getLogger("firevoice.audit")

TOLERANCE = 1e-6
MILP_SECONDS = 20.0
# Programs up to this many unknowns have fractional optima settled by integer programs;
# above it the linear bound, rounded inwards, is used (docs/privacy.md, the audit).
INTEGER_COLUMNS = 4000
POOL_SIZE = 48
TIE_BREAK = 1e-4  # the largest random cost per unknown when looking for a whole vertex
RESPONDENTS = ""  # the pattern key of the respondent counts; questions use their key


Tag = tuple[str, int]  # (pattern, cell): a published figure, as a row of a program


@dataclass(frozen=True)
class Failure:
    cell: int
    pattern: str  # RESPONDENTS, or the question key whose answers fail
    reason: str
    # The published figures the failing bound rests on (rows with a non-zero dual): hiding
    # one of them breaks this proof.
    binding: tuple[Tag, ...] = ()


@dataclass
class AuditStats:
    cells_checked: int = 0
    programs: int = 0
    integer_programs: int = 0
    components: int = 0
    seconds: float = 0.0


class Hidden:
    """Which cells are hidden: the respondent pattern and one pattern per question.

    A question's pattern always includes the respondent pattern: a group hidden in the
    response-rate table is hidden for every question, so no question's n can give it away.
    `fixed` cells (an earlier version's, already published) are never hidden further.
    """

    def __init__(self, cells: int, questions: Iterable[str]):
        self.respondents = np.zeros(cells, dtype=bool)
        self.questions = {key: np.zeros(cells, dtype=bool) for key in questions}
        self.fixed = np.zeros(cells, dtype=bool)

    def pattern(self, key: str) -> np.ndarray:
        if key == RESPONDENTS:
            return self.respondents
        return self.questions[key] | self.respondents

    def hide(self, key: str, cell: int) -> bool:
        target = self.respondents if key == RESPONDENTS else self.questions[key]
        if target[cell] or self.fixed[cell]:
            return False
        target[cell] = True
        return True

    def any_hidden(self) -> np.ndarray:
        out = self.respondents.copy()
        for mask in self.questions.values():
            out |= mask
        return out


# --- the solver -----------------------------------------------------------------------------

_made_one = False


def _new_highs() -> Any:
    """A HiGHS instance with all output off.

    HiGHS prints a banner to standard output when a process makes its first solver,
    before any option can turn output off; the CLI's own output must stay clean.
    """
    global _made_one
    if _made_one:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                solver = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _made_one = True
    solver.setOptionValue("output_flag", False)
    return solver


@dataclass(frozen=True)
class Objective:
    """A sum asked of a program, split into its free unknowns (numbered as in the reduced
    program) and the part pinned by published figures alone."""

    columns: np.ndarray  # free numbers (int32)
    weights: np.ndarray
    constant: float


@dataclass(frozen=True)
class Reduced:
    """A program with the unknowns that published figures pin on their own taken out.

    A shown figure of 0 pins every unknown in it to 0 (counts are never negative), and a
    shown figure over one unknown pins that one; substituting the pinned values and
    repeating takes out, in a large program, about half of its unknowns (answer counts of
    options nobody in a shown group chose, groups of one base cell), and every solve is
    that much quicker. The solver's own presolve does the same and more, but only for the
    first solve: later ones start from the last basis and run without it. Each pinned
    unknown remembers the row that pinned it and when, so a bound's proof still names
    every published figure it rests on (`rows_behind`).
    """

    matrix: Any  # scipy CSR: kept rows x free unknowns
    lower: np.ndarray
    upper: np.ndarray
    rows: np.ndarray  # the program's row of each kept row
    keep: np.ndarray  # the program's unknown of each free one
    index: np.ndarray  # unknown -> free number, -1 if pinned
    value: np.ndarray  # unknown -> its pinned value (0 if free)
    # Each pass of pinning, in order: the unknowns it pinned, the row that pinned each,
    # that row's coefficient of it, and whether the row pinned it to 0 by its sign alone.
    passes: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    by_column: Any  # scipy CSC of every row, to carry a proof back to the pinning rows

    @property
    def free(self) -> int:
        return len(self.keep)

    @classmethod
    def of(cls, program: Program) -> Reduced:
        columns = program.columns
        lengths = np.concatenate(program.lengths) if program.lengths else np.empty(0, np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        matrix = sparse.csr_matrix(
            (
                np.concatenate(program.values) if program.values else np.empty(0),
                np.concatenate(program.indices) if program.indices else np.empty(0, np.int32),
                starts,
            ),
            shape=(len(lengths), columns),
        )
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        lower = np.concatenate(program.lower) if program.lower else np.empty(0)
        upper = np.concatenate(program.upper) if program.upper else np.empty(0)
        pinned = np.zeros(columns, dtype=bool)
        value = np.zeros(columns)
        passes: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        shift = np.zeros(len(lengths))
        while True:
            free = (matrix @ sparse.diags((~pinned).astype(float))).tocsr()
            free.eliminate_zeros()
            positive = np.asarray((free > 0).sum(axis=1)).ravel()
            negative = np.asarray((free < 0).sum(axis=1)).ravel()
            low, high = lower - shift, upper - shift
            # All free coefficients of one sign and the row's room on that side is 0.
            zero = ((negative == 0) & (positive > 0) & (high <= TOLERANCE)) | (
                (positive == 0) & (negative > 0) & (low >= -TOLERANCE)
            )
            single = (positive + negative == 1) & (np.abs(high - low) <= TOLERANCE) & ~zero
            found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
            for rows_, by_sign in ((zero, True), (single, False)):
                if rows_.any():
                    part = free[rows_].tocoo()
                    rows = np.flatnonzero(rows_)[part.row]
                    found.append(
                        (
                            part.col,
                            rows,
                            part.data,
                            np.zeros(len(rows)) if by_sign else high[rows] / part.data,
                            np.full(len(rows), by_sign),
                        )
                    )
            if not found:
                break
            found_columns, found_rows, found_coefficients, found_values, found_signs = (
                np.concatenate(parts) for parts in zip(*found, strict=True)
            )
            taken, first = np.unique(found_columns, return_index=True)
            pinned[taken] = True
            value[taken] = found_values[first]
            passes.append((taken, found_rows[first], found_coefficients[first], found_signs[first]))
            shift = matrix @ value
        if np.any(value < -TOLERANCE) or np.any(np.abs(value - np.round(value)) > TOLERANCE):
            raise ValueError("the published figures pin a count to an impossible value")
        if program.truth is not None and np.any(np.abs(value - program.truth)[pinned] > TOLERANCE):
            raise ValueError("the published figures pin a count away from the real one")
        value = np.round(value)
        shift = matrix @ value
        keep = np.flatnonzero(~pinned)
        index = np.full(columns, -1, dtype=np.int64)
        index[keep] = np.arange(len(keep))
        inner = matrix[:, keep].tocsr()
        kept = np.flatnonzero(np.diff(inner.indptr) > 0)
        empty = np.setdiff1d(np.arange(len(lengths)), kept)
        low, high = lower - shift, upper - shift
        if np.any(low[empty] > TOLERANCE) or np.any(high[empty] < -TOLERANCE):
            raise ValueError("the published figures contradict each other")
        return cls(
            matrix=inner[kept],
            lower=low[kept],
            upper=high[kept],
            rows=kept,
            keep=keep,
            index=index,
            value=value,
            passes=passes,
            by_column=matrix.tocsc(),
        )

    def objective(self, columns: np.ndarray, weights: np.ndarray) -> Objective:
        """`weights . columns` (distinct unknowns) over the free unknowns, plus a constant."""
        free = self.index[columns] >= 0
        return Objective(
            columns=self.index[columns[free]].astype(np.int32),
            weights=weights[free],
            constant=float(weights[~free] @ self.value[columns[~free]]),
        )

    def expand(self, solution: np.ndarray) -> np.ndarray:
        """A solution of the free unknowns as a solution of the whole program."""
        out = self.value.copy()
        out[self.keep] = solution
        return out

    def rows_behind(self, duals: np.ndarray, columns: np.ndarray, costs: np.ndarray) -> np.ndarray:
        """The rows a bound rests on: those of the reduced program with a non-zero dual
        (`duals`, one per kept row) and the rows that pinned unknowns the proof needs.

        The reduced program's duals are carried back through the passes that pinned
        unknowns, last pass first: a pinned unknown whose reduced cost (`costs` over
        `columns` is the minimised objective) would let the bound move gives its
        pinning row the dual that holds it, as the whole program's own proof would.
        """
        every = np.zeros(self.by_column.shape[0])
        every[self.rows] = duals
        cost = np.zeros(self.by_column.shape[1])
        cost[columns] = costs
        for taken, rows, coefficients, by_sign in reversed(self.passes):
            reduced = cost[taken] - self.by_column[:, taken].T @ every
            need = reduced / coefficients
            # A pinning row has no free unknown left, so it is no kept row and pins in
            # this pass only: its dual is still 0 here.
            exact = ~by_sign
            every[rows[exact]] = need[exact]
            # A row that pins its unknowns to 0 by its sign needs a dual only where one
            # of them would otherwise rather be above 0.
            up = by_sign & (coefficients > 0)
            down = by_sign & (coefficients < 0)
            np.minimum.at(every, rows[up], need[up])
            np.maximum.at(every, rows[down], need[down])
        return np.flatnonzero(np.abs(every) > TOLERANCE)


class Program:
    """Linear constraints over non-negative counts, asked for bounds of sums of them."""

    def __init__(self, columns: int):
        self.columns = columns
        self.lengths: list[np.ndarray] = []
        self.indices: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.tags: list[Tag | None] = []
        self._reduced: Reduced | None = None
        # The last bound's proof: the reduced program's duals and the minimised objective
        # (see `binding`).
        self._proof: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._solver: Any = None
        self._milp: Any = None
        self._cost_columns = np.empty(0, dtype=np.int32)
        self.pool: list[np.ndarray] = []
        # The real counts: a whole-number point every published figure agrees with, so
        # the attacker can never rule it out. Any solution that differs from it in a sum
        # shows that sum is not pinned.
        self.truth: np.ndarray | None = None
        # Fractional solutions of a program too large for integer programs: there the
        # linear bound, rounded inwards, is the answer, so a fractional point certifies a
        # bound just as the program for that bound would (see `reach`).
        self.relaxed: list[np.ndarray] = []

    def rows(
        self,
        columns: np.ndarray,
        coefficients: np.ndarray,
        low: float,
        high: float,
        tag: Tag | None = None,
    ) -> None:
        """One row per line of `columns` (a 2-D array), all with the same coefficients;
        `tag` names the published figure the rows state."""
        count, width = columns.shape
        if count == 0 or width == 0:
            return
        self.tags.extend([tag] * count)
        self.lengths.append(np.full(count, width, dtype=np.int64))
        self.indices.append(columns.reshape(-1).astype(np.int32))
        self.values.append(np.tile(np.asarray(coefficients, dtype=float), count))
        self.lower.append(np.full(count, low))
        self.upper.append(np.full(count, high))

    def row(
        self,
        columns: np.ndarray,
        coefficients: np.ndarray,
        low: float,
        high: float,
        tag: Tag | None = None,
    ) -> None:
        self.rows(columns.reshape(1, -1), coefficients, low, high, tag)

    def equal(self, columns: np.ndarray, value: float, tag: Tag | None = None) -> None:
        self.row(columns, np.ones(len(columns)), value, value, tag)

    def at_most(self, columns: np.ndarray, value: float) -> None:
        self.row(columns, np.ones(len(columns)), -math.inf, value)

    def at_least(self, columns: np.ndarray, value: float) -> None:
        self.row(columns, np.ones(len(columns)), value, math.inf)

    def difference(self, plus: np.ndarray, minus: np.ndarray, low: float, high: float) -> None:
        """sum(plus) - sum(minus) within [low, high]."""
        self.row(
            np.concatenate([plus, minus]),
            np.concatenate([np.ones(len(plus)), -np.ones(len(minus))]),
            low,
            high,
        )

    def reduced(self) -> Reduced:
        """The program with the unknowns the published figures pin on their own taken out
        (computed once, when the first question is asked)."""
        if self._reduced is None:
            self._reduced = Reduced.of(self)
        return self._reduced

    @property
    def binding(self) -> set[Tag]:
        """The published figures the last bound rests on: the rows with a non-zero dual
        (Reduced.rows_behind)."""
        if self._proof is None:
            return set()
        rows = self.reduced().rows_behind(*self._proof)
        return {tag for tag in (self.tags[i] for i in rows) if tag is not None}

    def _build(self) -> Any:
        """A solver over the unknowns left free by `reduced`."""
        reduced = self.reduced()
        solver = _new_highs()
        matrix_ = reduced.matrix
        rows, columns = matrix_.shape
        lp = highspy.HighsLp()
        lp.num_col_ = columns
        lp.num_row_ = rows
        lp.col_cost_ = np.zeros(columns)
        lp.col_lower_ = np.zeros(columns)
        lp.col_upper_ = np.full(columns, highspy.kHighsInf)
        lp.row_lower_ = np.where(np.isinf(reduced.lower), -highspy.kHighsInf, reduced.lower)
        lp.row_upper_ = np.where(np.isinf(reduced.upper), highspy.kHighsInf, reduced.upper)
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_ = columns
        matrix.num_row_ = rows
        matrix.start_ = matrix_.indptr.astype(np.int32)
        matrix.index_ = matrix_.indices.astype(np.int32)
        matrix.value_ = matrix_.data.astype(float)
        solver.passModel(lp)
        return solver

    def _linear_solver(self) -> Any:
        """The solver for linear questions, warmed up: the first solve (with presolve)
        finds a basis; later ones change only the objective, and the primal simplex
        starts from the last optimal basis, which is still feasible, so each takes tens of
        iterations instead of thousands (presolve would throw the basis away)."""
        solver = self._build()
        solver.run()
        solver.setOptionValue("presolve", "off")
        solver.setOptionValue("simplex_strategy", 4)  # primal
        return solver

    def extreme(
        self,
        columns: np.ndarray,
        coefficients: np.ndarray,
        maximise: bool,
        stats: AuditStats,
        decides: float | None = None,
        exact: bool = True,
    ) -> float | None:
        """min or max of coefficients . columns over whole-number solutions (None if it did
        not solve).

        The linear program's optimum bounds the integer one and is returned when it is
        attained at a whole-number point, or when `decides` is given and the bound already
        settles the question asked (min >= decides, or max <= decides). Otherwise an
        attacker who knows counts are whole may do better, and the integer question is
        asked: with `decides`, only whether a whole-number point on the other side exists
        (a feasibility question, quick to answer); without it, the integer optimum. With
        `exact` false a fractional optimum gives None: the call only looks for a
        whole-number point for the pool.
        """
        unique, inverse = np.unique(columns.astype(np.int64), return_inverse=True)
        weights = np.bincount(inverse, weights=np.asarray(coefficients, float))
        reduced = self.reduced()
        objective = reduced.objective(unique, weights)
        sign = -1.0 if maximise else 1.0
        if not len(objective.columns):
            # Every unknown of the sum is pinned by published figures: so is the sum.
            self._proof = (np.zeros(len(reduced.rows)), unique, sign * weights)
            return objective.constant
        solver = self._prepare()
        self._cost_columns = objective.columns
        solver.changeColsCost(len(objective.columns), objective.columns, sign * objective.weights)
        stats.programs += 1
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        value = sign * solver.getInfo().objective_function_value + objective.constant
        result = solver.getSolution()
        solution = reduced.expand(np.asarray(result.col_value))
        duals = np.asarray(result.row_dual) if result.dual_valid else np.zeros(len(reduced.rows))
        self._proof = (duals, unique, sign * weights)
        if self._keep(solution):
            return float(value)
        if not exact:
            return None
        if decides is None:
            raise ValueError("a fractional optimum needs the question it is to decide")
        if maximise and math.floor(value + TOLERANCE) <= decides:
            return float(value)
        if not maximise and math.ceil(value - TOLERANCE) >= decides:
            return float(value)
        if self.columns > INTEGER_COLUMNS:
            # Too large to settle with an integer program in the time a release allows:
            # the linear bound, rounded inwards, is the answer (docs/privacy.md).
            return float(value)
        # Is there a whole-number point past `decides`? Often another optimal vertex is
        # one: look there first, it costs one linear solve instead of an integer program.
        target = (decides + 1, highspy.kHighsInf) if maximise else (-highspy.kHighsInf, decides - 1)
        nearby = self._other_vertex(unique, weights, objective, sign, target, stats)
        if nearby is not None:
            return nearby
        point = self._integer_point(unique, weights, objective, target, stats)
        if point is False:
            return None
        if point is None:
            return float(decides)
        return float(point)

    def _other_vertex(
        self,
        columns: np.ndarray,
        weights: np.ndarray,
        objective: Objective,
        sign: float,
        bounds: tuple[float, float],
        stats: AuditStats,
    ) -> float | None:
        """A whole-number point within bounds found by the linear solver alone, or None.

        The same objective with a small random tie-break over every unknown makes the
        simplex settle on another optimal vertex, which is often whole.
        """
        solver = self._prepare()
        reduced = self.reduced()
        free = reduced.free
        everything = np.arange(free, dtype=np.int32)
        rng = np.random.default_rng(len(self.pool) + len(columns))
        costs = rng.uniform(0.0, TIE_BREAK, free)
        costs[objective.columns] += sign * objective.weights
        solver.changeColsCost(free, everything, costs)
        self._cost_columns = everything
        stats.programs += 1
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = reduced.expand(np.asarray(solver.getSolution().col_value))
        if not np.all(np.abs(solution - np.round(solution)) <= TOLERANCE):
            return None
        whole = np.round(solution)
        value = float(weights @ whole[columns])
        if not bounds[0] - TOLERANCE <= value <= bounds[1] + TOLERANCE:
            return None
        self._remember(whole)
        return value

    def lift(self, groups: list[np.ndarray], stats: AuditStats) -> None:
        """Look for one solution where as many of the sums in `groups` as can be are at
        least 1, for the pool (if it is whole): the sum of each, capped at 1, is
        maximised, on a solver of its own so that the linear one keeps its basis."""
        reduced = self.reduced()
        objectives = [reduced.objective(g, np.ones(len(g))) for g in map(np.unique, groups)]
        objectives = [o for o in objectives if len(o.columns) and o.constant < 0.5]
        if len(objectives) < 2:
            return
        solver = self._build()
        free, count = reduced.free, len(objectives)
        solver.addCols(
            count,
            -np.ones(count),
            np.zeros(count),
            np.ones(count),
            0,
            np.zeros(count, dtype=np.int32),
            np.empty(0, dtype=np.int32),
            np.empty(0),
        )
        # z - sum <= constant, one row per sum, z its capped value.
        lengths = np.array([len(o.columns) + 1 for o in objectives])
        solver.addRows(
            count,
            np.full(count, -highspy.kHighsInf),
            np.array([o.constant for o in objectives]),
            int(lengths.sum()),
            np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32),
            np.concatenate(
                [np.concatenate([[free + i], o.columns]) for i, o in enumerate(objectives)]
            ).astype(np.int32),
            np.concatenate([np.concatenate([[1.0], -o.weights]) for o in objectives]),
        )
        # Start from the linear solver's last basis, still feasible here with each capped
        # sum at 0 and its row's slack basic: far fewer iterations than from scratch.
        basis = self._prepare().getBasis()
        start = highspy.HighsBasis()
        start.col_status = list(basis.col_status) + [highspy.HighsBasisStatus.kLower] * count
        start.row_status = list(basis.row_status) + [highspy.HighsBasisStatus.kBasic] * count
        start.valid = True
        solver.setBasis(start)
        solver.setOptionValue("presolve", "off")
        solver.setOptionValue("simplex_strategy", 4)  # primal
        stats.programs += 1
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return
        self._keep(reduced.expand(np.asarray(solver.getSolution().col_value)[:free]))

    def _prepare(self) -> Any:
        if self._solver is None:
            self._solver = self._linear_solver()
        if len(self._cost_columns):
            self._solver.changeColsCost(
                len(self._cost_columns), self._cost_columns, np.zeros(len(self._cost_columns))
            )
            self._cost_columns = np.empty(0, dtype=np.int32)
        return self._solver

    def _integer_solver(self) -> Any:
        """A second solver for integer questions: an integer solve would throw away the
        linear one's basis, which every later linear solve starts from."""
        if self._milp is None:
            self._milp = self._build()
            free = self.reduced().free
            self._milp.changeColsIntegrality(
                free,
                np.arange(free, dtype=np.int32),
                np.full(free, highspy.HighsVarType.kInteger.value, dtype=np.uint8),
            )
            self._milp.setOptionValue("time_limit", MILP_SECONDS)
        return self._milp

    def _integer_point(
        self,
        columns: np.ndarray,
        weights: np.ndarray,
        objective: Objective,
        bounds: tuple[float, float],
        stats: AuditStats,
    ) -> float | bool | None:
        """A whole-number point with weights . columns within bounds: its value, None if
        there is none, False if that could not be settled."""
        stats.integer_programs += 1
        solver = self._integer_solver()
        row = solver.getNumRow()
        solver.addRow(
            bounds[0] - objective.constant,
            bounds[1] - objective.constant,
            len(objective.columns),
            objective.columns,
            objective.weights,
        )
        solver.setOptionValue("mip_max_improving_sols", 1)
        try:
            solver.run()
            status = solver.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            feasible = highspy.SolutionStatus.kSolutionStatusFeasible.value
            if solver.getInfo().primal_solution_status != feasible:
                return False
            solution = self.reduced().expand(np.round(np.asarray(solver.getSolution().col_value)))
            self._remember(solution)
            return float(weights @ solution[columns])
        finally:
            solver.setOptionValue("mip_max_improving_sols", highspy.kHighsIInf)
            solver.deleteRows(1, np.array([row], dtype=np.int32))

    def _keep(self, solution: np.ndarray) -> bool:
        """Keep an optimal solution for `reach`: in the pool if it is whole, else among the
        relaxed ones of a program too large for integer programs. Whether it was whole."""
        if np.all(np.abs(solution - np.round(solution)) <= TOLERANCE):
            self._remember(np.round(solution))
            return True
        if self.columns > INTEGER_COLUMNS:
            self.relaxed.append(solution)
            if len(self.relaxed) > POOL_SIZE:
                self.relaxed.pop(0)
        return False

    def _remember(self, solution: np.ndarray) -> None:
        self.pool.append(solution)
        if len(self.pool) > POOL_SIZE:
            self.pool.pop(0)

    def reach(self, columns: np.ndarray) -> tuple[float, float]:
        """(a, b): the solutions found so far show the sum of `columns` has a low of at
        most a and a high of at least b, for free.

        Each whole-number solution (and the real counts) is a point the attacker cannot
        rule out. In a program too large for integer programs, a fractional solution
        with value v bounds the linear optimum as well: the low is at most ceil(v) and
        the high at least floor(v), exactly what that bound's own program would conclude.
        (inf, -inf) if nothing has been found.
        """
        low, high = math.inf, -math.inf
        points = self.pool if self.truth is None else [self.truth, *self.pool]
        for solution in points:
            value = float(solution[columns].sum())
            low, high = min(low, value), max(high, value)
        for solution in self.relaxed:
            value = float(solution[columns].sum())
            low = min(low, math.ceil(value - TOLERANCE))
            high = max(high, math.floor(value + TOLERANCE))
        return low, high

    def low(
        self, columns: np.ndarray, stats: AuditStats, decides: float | None = None
    ) -> int | None:
        value = self.extreme(columns, np.ones(len(columns)), False, stats, decides)
        return None if value is None else math.ceil(value - TOLERANCE)

    def high(
        self, columns: np.ndarray, stats: AuditStats, decides: float | None = None
    ) -> int | None:
        value = self.extreme(columns, np.ones(len(columns)), True, stats, decides)
        return None if value is None else math.floor(value + TOLERANCE)

    def high_difference(
        self, plus: np.ndarray, minus: np.ndarray, stats: AuditStats, decides: float | None = None
    ) -> int | None:
        """max of sum(plus) - sum(minus)."""
        value = self.extreme(
            np.concatenate([plus, minus]),
            np.concatenate([np.ones(len(plus)), -np.ones(len(minus))]),
            True,
            stats,
            decides,
        )
        return None if value is None else math.floor(value + TOLERANCE)


# --- components -------------------------------------------------------------------------------


def components(structure: Structure, hidden: Hidden) -> list[list[int]]:
    """Groups of blocks that share a hidden cell (in any pattern), found by union-find."""
    parent = list(range(len(structure.blocks)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    anywhere = hidden.any_hidden()
    for cell in structure.cells:
        if len(cell.blocks) > 1 and anywhere[cell.id]:
            first = find(cell.blocks[0])
            for other in cell.blocks[1:]:
                parent[find(other)] = first
    groups: dict[int, list[int]] = {}
    for block in range(len(structure.blocks)):
        groups.setdefault(find(block), []).append(block)
    return list(groups.values())


@dataclass
class Layout:
    """Where each block's unknowns sit among a program's columns."""

    respondents: dict[int, int] = field(default_factory=dict)  # block -> first column
    answering: dict[str, dict[int, int]] = field(default_factory=dict)  # question -> block -> col
    answers: dict[int, int] = field(default_factory=dict)  # block -> first column (v * O + o)
    columns: int = 0

    def take(self, size: int) -> int:
        start = self.columns
        self.columns += size
        return start


class ComponentModel:
    """The attacker's program for one component: respondents, every optional question's n,
    and (for one question) its answer counts."""

    def __init__(
        self,
        structure: Structure,
        counts: Counts,
        values: np.ndarray,
        hidden: Hidden,
        blocks: Sequence[int],
        question: QuestionCounts | None,
    ):
        self.structure = structure
        self.blocks = list(blocks)
        self.question = question
        self.layout = Layout()
        here = set(self.blocks)
        # The cells with a sum in this component, and in which of its blocks.
        self.where: dict[int, list[int]] = {}
        for cell in structure.cells:
            inside = [b for b in cell.blocks if b in here]
            if inside:
                self.where[cell.id] = inside
        sizes = {b: structure.blocks[b].size for b in self.blocks}
        optional = [q for q in counts.questions if not q.always]
        for b in self.blocks:
            self.layout.respondents[b] = self.layout.take(sizes[b])
        for q in optional:
            key = q.question.key
            self.layout.answering[key] = {b: self.layout.take(sizes[b]) for b in self.blocks}
        if question is not None:
            width = len(question.options)
            for b in self.blocks:
                self.layout.answers[b] = self.layout.take(sizes[b] * width)
        self.program = Program(self.layout.columns)

        def respondents(cell: int, block: int) -> np.ndarray:
            return self.respondent_columns(cell, block)

        self._publish(hidden.pattern(RESPONDENTS), values, respondents, RESPONDENTS)
        for cell_id, inside in self.where.items():
            headcount = structure.cells[cell_id].headcount
            if (
                hidden.respondents[cell_id]
                and headcount is not None
                and values[cell_id] <= headcount
            ):
                for b in inside:
                    self.program.at_most(self.respondent_columns(cell_id, b), headcount)
        # Counts shown during the wave (/progress): a pool had at least that many.
        for floor in structure.floors:
            if floor.block in here:
                self.program.at_least(
                    self.layout.respondents[floor.block] + floor.base, floor.value
                )
        # Each optional question's n: at most the respondents, published where shown.
        for q in optional:
            key = q.question.key
            for b in self.blocks:
                base = np.arange(sizes[b])
                self.program.rows(
                    np.stack(
                        [self.layout.answering[key][b] + base, self.layout.respondents[b] + base], 1
                    ),
                    np.array([1.0, -1.0]),
                    -math.inf,
                    0.0,
                )

            def answering(cell: int, block: int, key: str = key) -> np.ndarray:
                return self.answering_columns(key, cell, block)

            self._publish(hidden.pattern(key), _question_values(structure, q), answering, key)
        if question is not None:
            self._answers(question, hidden.pattern(question.question.key), sizes)
        truth = np.zeros(self.layout.columns)
        for b in self.blocks:
            truth[self.layout.respondents[b] + np.arange(sizes[b])] = counts.respondents[b]
            for q in optional:
                start = self.layout.answering[q.question.key][b]
                truth[start + np.arange(sizes[b])] = q.answering[b]
            if question is not None:
                start = self.layout.answers[b]
                truth[start + np.arange(sizes[b] * len(question.options))] = question.answers[
                    b
                ].reshape(-1)
        self.program.truth = truth

    def _publish(self, pattern: np.ndarray, published: np.ndarray, columns: Any, key: str) -> None:
        """Shown cells are equations; a hidden cell is one unknown in all its blocks."""
        for cell, inside in self.where.items():
            if pattern[cell]:
                first = columns(cell, inside[0])
                for other in inside[1:]:
                    self.program.difference(first, columns(cell, other), 0.0, 0.0)
            else:
                for b in inside:
                    self.program.equal(columns(cell, b), float(published[cell]), (key, cell))

    def respondent_columns(self, cell: int, block: int) -> np.ndarray:
        return self.layout.respondents[block] + self.structure.blocks[block].members[cell]

    def answering_columns(self, key: str, cell: int, block: int) -> np.ndarray:
        if key in self.layout.answering:
            return self.layout.answering[key][block] + self.structure.blocks[block].members[cell]
        return self.respondent_columns(cell, block)

    def answer_columns(self, cell: int, block: int, option: int) -> np.ndarray:
        assert self.question is not None
        width = len(self.question.options)
        members = self.structure.blocks[block].members[cell]
        return self.layout.answers[block] + members * width + option

    def _answers(self, q: QuestionCounts, pattern: np.ndarray, sizes: dict[int, int]) -> None:
        program = self.program
        width = len(q.options)
        key = q.question.key
        multi = q.question.type == QuestionType.MULTIPLE_CHOICE
        for b in self.blocks:
            base = np.arange(sizes[b])
            people = (
                self.layout.answering[key][b]
                if key in self.layout.answering
                else self.layout.respondents[b]
            ) + base
            options = self.layout.answers[b] + base[:, None] * width + np.arange(width)[None, :]
            if multi:
                # Each option chosen by at most the people answering; each of them chose one.
                for o in range(width):
                    program.rows(
                        np.stack([options[:, o], people], 1), np.array([1.0, -1.0]), -math.inf, 0.0
                    )
                program.rows(
                    np.concatenate([people[:, None], options], 1),
                    np.concatenate([[1.0], -np.ones(width)]),
                    -math.inf,
                    0.0,
                )
            else:
                program.rows(
                    np.concatenate([options, people[:, None]], 1),
                    np.concatenate([np.ones(width), [-1.0]]),
                    0.0,
                    0.0,
                )
        published = _answer_values(self.structure, q)
        for o in range(width):

            def option_columns(cell: int, block: int, o: int = o) -> np.ndarray:
                return self.answer_columns(cell, block, o)

            self._publish(pattern, published[:, o], option_columns, q.question.key)


def _question_values(structure: Structure, q: QuestionCounts) -> np.ndarray:
    """People answering the question, per cell (computed once, when it was counted)."""
    assert len(q.cell_answering) == len(structure.cells)
    return q.cell_answering


def _answer_values(structure: Structure, q: QuestionCounts) -> np.ndarray:
    """Answers to the question, cells x options."""
    assert len(q.cell_answers) == len(structure.cells)
    return q.cell_answers


# --- the checks -----------------------------------------------------------------------------


@dataclass
class Safe:
    """Cells already shown to be protected, kept from one round of repairs to the next.

    Hiding another cell only takes equations away from the attacker, so every range can
    only widen: a cell shown safe stays safe, and a later round looks only at cells that
    failed or are newly hidden. A question's cell is kept with the answers its shown
    totals made public at the time; if a total is hidden later, it is looked at again.
    """

    respondents: set[int] = field(default_factory=set)
    questions: dict[str, dict[int, frozenset[int]]] = field(default_factory=dict)


@dataclass
class Settled:
    """What the attacker can prove of a cell's size: 0 if they cannot rule out that it is
    empty or has at least k people, else the smallest size they can prove (None: did not
    solve), with the published figures that proof rests on."""

    low: int | None
    binding: set[Tag] = field(default_factory=set)


def _settle(
    program: Program,
    cells: dict[int, np.ndarray],
    k: dict[int, int],
    stats: AuditStats,
) -> dict[int, Settled]:
    """Settle each cell's size (see Settled).

    Most cells are settled without a program of their own: one joint minimisation shows
    every cell that can be 0 (a joint maximisation costs more than it saves: it seldom
    lifts a small hidden group to k), and every solution found since is a certificate
    too. Only the rest get their own pair of programs.
    """
    out: dict[int, Settled] = {}
    if not cells:
        return out
    joint = np.concatenate(list(cells.values()))
    program.extreme(joint, np.ones(len(joint)), False, stats, exact=False)
    for cell, columns in cells.items():
        if _can_be(program, columns, 0, k[cell]):
            out[cell] = Settled(0)
            continue
        low = program.low(columns, stats, decides=1)
        if low is None or low < 1:
            out[cell] = Settled(low if low is None else 0)
            continue
        binding = set(program.binding)
        large = _reaches(program, columns, k[cell], stats)
        if large is None:
            out[cell] = Settled(None)
        elif large:
            out[cell] = Settled(0)
        else:
            out[cell] = Settled(low, binding | program.binding)
    return out


def _can_be(program: Program, columns: np.ndarray, low: int, high: int) -> bool:
    """Whether the solutions found so far show the cell can be at `low` or below, or at
    `high` or above (Program.reach)."""
    a, b = program.reach(columns)
    return a < low + 0.5 or b > high - 0.5


def _reaches(program: Program, columns: np.ndarray, value: int, stats: AuditStats) -> bool | None:
    """Whether the cell can be as large as `value` (None: did not solve)."""
    if program.reach(columns)[1] >= value - 0.5:
        return True
    high = program.high(columns, stats, decides=value - 1)
    return None if high is None else high >= value


def audit_respondents(
    structure: Structure,
    counts: Counts,
    values: np.ndarray,
    hidden: Hidden,
    blocks: Sequence[int],
    safe: Safe,
    stats: AuditStats,
) -> list[Failure]:
    """Hidden groups whose size the attacker can prove is between 1 and k - 1; the lowest
    provable size of the others is kept for the answer audits."""
    pattern = hidden.pattern(RESPONDENTS)
    here = set(blocks)
    # Only a group that is under its threshold can be shown to be: the truth itself is
    # in the attacker's range, so a group of 0 or of k or more is always protected.
    wanted = [
        c
        for c in structure.cells
        if pattern[c.id]
        and c.blocks[0] in here
        and 0 < values[c.id] < c.k
        and c.id not in safe.respondents
    ]
    failures: list[Failure] = []
    if not wanted:
        return failures
    model = ComponentModel(structure, counts, values, hidden, blocks, None)
    program = model.program
    columns = {c.id: model.respondent_columns(c.id, c.blocks[0]) for c in wanted}
    stats.cells_checked += len(wanted)
    settled = _settle(program, columns, {c.id: c.k for c in wanted}, stats)
    for cell in wanted:
        low = settled[cell.id].low
        if low is None:
            failures.append(Failure(cell.id, RESPONDENTS, "did not solve"))
        elif low < 1:
            safe.respondents.add(cell.id)
        else:
            failures.append(
                Failure(
                    cell.id,
                    RESPONDENTS,
                    f"respondents at least {low}, under {cell.k}",
                    tuple(sorted(settled[cell.id].binding)),
                )
            )
    return failures


def _implied(
    parents: dict[int, list[int]],
    pattern: np.ndarray,
    answers: np.ndarray,
    n: np.ndarray,
    cell: int,
) -> frozenset[int]:
    """Options everyone chose in some shown group containing `cell`: that the cell's
    people chose them too is already published, and hiding more could not change it."""
    out: set[int] = set()
    stack, seen = list(parents.get(cell, [])), set()
    while stack:
        parent = stack.pop()
        if parent in seen:
            continue
        seen.add(parent)
        if pattern[parent]:
            stack.extend(parents.get(parent, []))
        elif n[parent] > 0:
            out.update(int(o) for o in np.flatnonzero(answers[parent] == n[parent]))
    return frozenset(out)


def _spread(
    program: Program,
    groups: list[np.ndarray],
    stats: AuditStats,
    rng: np.random.Generator,
) -> None:
    """Fill the certificate pool with solutions far apart: the sums in `groups` pushed
    down, then up, with random weights, so most of them take different values in
    different solutions and need no program of their own."""
    if not groups:
        return
    columns = np.concatenate(groups)
    for maximise in (False, True):
        weights = np.concatenate([np.full(len(g), rng.uniform(1.0, 2.0)) for g in groups])
        program.extreme(columns, weights, maximise, stats, exact=False)


def _push_up(program: Program, groups: list[np.ndarray], stats: AuditStats) -> None:
    """Fill the certificate pool with solutions where the sums in `groups` are above 0
    (Program.lift): those at 0 in every solution found so far, again and again while each
    round shows at least two more can be above 0. What is left gets a program of its own
    (about 50 such rounds in a 50-station release instead of 2,000 programs)."""
    left = [g for g in groups if program.reach(g)[1] < 0.5]
    while len(left) > 1:
        program.lift(left, stats)
        still = [g for g in left if program.reach(g)[1] < 0.5]
        if len(left) - len(still) < 2:
            return
        left = still


def audit_question(
    structure: Structure,
    counts: Counts,
    values: np.ndarray,
    hidden: Hidden,
    blocks: Sequence[int],
    question: QuestionCounts,
    parents: dict[int, list[int]],
    safe: Safe,
    stats: AuditStats,
    later: frozenset[int] = frozenset(),
) -> list[Failure]:
    """Hidden groups of one question: its n (if optional), pinned or unanimous answers.

    Only groups under the threshold among those answering: a larger hidden group whose
    answers could be worked out tells nothing about fewer than k people, as long as every
    smaller group inside it is protected, and every one of those is checked (down to the
    finest groups, published or not). Groups in `later` (their size already failed this
    round) are left for the round after their repair.
    """
    key = question.question.key
    pattern = hidden.pattern(key)
    n_values = _question_values(structure, question)
    answer_values = _answer_values(structure, question)
    multi = question.question.type == QuestionType.MULTIPLE_CHOICE
    here = set(blocks)
    done = safe.questions.setdefault(key, {})
    implied = {
        c.id: _implied(parents, pattern, answer_values, n_values, c.id)
        for c in structure.cells
        if pattern[c.id] and c.blocks[0] in here and 0 < n_values[c.id] < c.k
    }
    wanted = [
        structure.cells[c]
        for c, options in implied.items()
        if (c not in done or not done[c] <= options) and c not in later
    ]
    failures: list[Failure] = []
    if not wanted:
        return failures
    rng = np.random.default_rng(len(wanted))
    # The group's size is checked again here: a question's answer counts, published for
    # groups that overlap (a sex margin and a disability margin, each with its answers),
    # can narrow it further than the respondent counts alone.
    model = ComponentModel(structure, counts, values, hidden, blocks, question)
    program = model.program
    people = {c.id: model.answering_columns(key, c.id, c.blocks[0]) for c in wanted}
    settled = _settle(program, people, {c.id: c.k for c in wanted}, stats)
    stats.cells_checked += len(wanted)
    interest = []
    failed: set[int] = set()
    for cell in wanted:
        low = settled[cell.id].low
        if low is None:
            failures.append(Failure(cell.id, key, "did not solve"))
        elif low >= 1:
            failures.append(
                Failure(
                    cell.id,
                    key,
                    f"answering at least {low}, under {cell.k}",
                    tuple(sorted(settled[cell.id].binding)),
                )
            )
        elif answer_values[cell.id].any():
            interest.append(cell)
        else:
            done[cell.id] = implied[cell.id]
    if not interest:
        return failures
    pairs = [
        (cell, option, model.answer_columns(cell.id, cell.blocks[0], option))
        for cell in interest
        if cell.id not in failed
        for option in range(len(question.options))
        if answer_values[cell.id, option] > 0 and option not in implied[cell.id]
    ]
    if program.columns <= INTEGER_COLUMNS:
        # A larger program skips it: there every pin check's own solution, fractional or
        # not, certifies the other pairs too (Program.reach), for less than the two
        # spread solves cost on a model that size.
        _spread(program, [columns for _, _, columns in pairs], stats, rng)
    for cell, option, columns in pairs:
        if cell.id in failed:
            continue
        truth = int(answer_values[cell.id, option])
        a, b = program.reach(columns)
        if a < truth - 0.5 or b > truth + 0.5:
            continue  # another value than the real one is possible
        lowest = program.low(columns, stats, decides=truth)
        if lowest is None:
            failures.append(Failure(cell.id, key, "did not solve"))
            failed.add(cell.id)
            continue
        if lowest < truth:
            continue
        binding = set(program.binding)
        highest = program.high(columns, stats, decides=truth)
        if highest is None or highest <= truth:
            binding |= program.binding
            failures.append(
                Failure(
                    cell.id, key, f"an answer count is pinned to {truth}", tuple(sorted(binding))
                )
            )
            failed.add(cell.id)
    # Everyone alike: only possible to prove if it is true. Checked whether or not the
    # group can be shown not to be empty: whoever knows one of its people answered learns
    # the answer all the same (docs/privacy.md, rule 3). Not so in a correction, audited
    # with the versions before it: comparing versions publishes, unavoidably, that a
    # withdrawn file all gave one answer, and an earlier version's shown groups what
    # their people all chose; there a group is checked once it cannot be empty.
    may_be_empty = structure.versions == 1
    unanimous = [
        cell
        for cell in interest
        if cell.id not in failed
        and (may_be_empty or not _can_be(program, people[cell.id], 0, 10**9))
        and any(
            answer_values[cell.id, o] == n_values[cell.id] and o not in implied[cell.id]
            for o in range(len(question.options))
        )
    ]
    # A single choice's other answers, for each group (one option holds all n of them).
    others_of = (
        {
            cell.id: np.concatenate(
                [
                    model.answer_columns(cell.id, cell.blocks[0], o)
                    for o in range(len(question.options))
                    if answer_values[cell.id, o] != n_values[cell.id]
                ]
            )
            for cell in unanimous
        }
        if not multi and len(question.options) > 1
        else {}
    )
    _push_up(program, list(others_of.values()), stats)
    for cell in unanimous:
        n = int(n_values[cell.id])
        for option in range(len(question.options)):
            if answer_values[cell.id, option] != n or option in implied[cell.id]:
                continue
            chosen = model.answer_columns(cell.id, cell.blocks[0], option)
            if multi:
                gap = program.high_difference(people[cell.id], chosen, stats, decides=0)
            else:
                if cell.id not in others_of:
                    continue
                columns = others_of[cell.id]
                if program.reach(columns)[1] >= 0.5:
                    continue
                gap = program.high(columns, stats, decides=0)
            if gap is None or gap <= 0:
                failures.append(
                    Failure(
                        cell.id,
                        key,
                        "everyone in it gave the same answer",
                        tuple(sorted(program.binding)),
                    )
                )
                failed.add(cell.id)
                break
    for cell in interest:
        if cell.id not in failed:
            done[cell.id] = implied[cell.id]
    return failures


def parents_of(structure: Structure) -> dict[int, list[int]]:
    """For each cell, the cells it is a published part of (through any partition)."""
    out: dict[int, list[int]] = {}
    for block in structure.blocks:
        for part in block.partitions:
            for child in part.children:
                out.setdefault(child, []).append(part.parent)
    return out


def workers() -> int:
    """How many audits run at once: one per core this process may use, at most 4.

    HiGHS releases the GIL while it solves, and each audit has its own solver, so threads
    are enough; the audits are independent, and their answers do not depend on the order
    they finish in.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def run(
    structure: Structure,
    counts: Counts,
    values: np.ndarray,
    hidden: Hidden,
    safe: Safe,
    stats: AuditStats,
) -> list[Failure]:
    """Audit every component for the cells not yet shown safe; returns the failures.

    Each component's respondent counts and each of its questions are separate audits
    (each writes only its own part of `safe`), run side by side on a thread pool: the
    respondent counts of every component first, then the questions.
    """
    started = time.perf_counter()
    parents = parents_of(structure)
    groups = components(structure, hidden)
    stats.components += len(groups)
    later: frozenset[int] = frozenset()

    def audit(task: tuple[list[int], QuestionCounts | None]) -> tuple[list[Failure], AuditStats]:
        blocks, question = task
        own = AuditStats()
        try:
            if question is None:
                found = audit_respondents(structure, counts, values, hidden, blocks, safe, own)
            else:
                found = audit_question(
                    structure, counts, values, hidden, blocks, question, parents, safe, own, later
                )
        except Exception as exc:  # fail closed: an audit that breaks hides its blocks
            log.exception("disclosure audit failed on blocks %s; hiding them", sorted(blocks))
            found = [Failure(-1, f"component:{sorted(blocks)}", type(exc).__name__)]
        return found, own

    def size(task: tuple[list[int], QuestionCounts | None]) -> int:
        """Roughly how many unknowns the task's program has: the largest start first,
        so the threads finish together instead of one finishing the longest alone."""
        blocks, question = task
        width = 1 if question is None else len(question.options) + 1
        return -width * sum(structure.blocks[b].size for b in blocks)

    def audit_all(
        tasks: list[tuple[list[int], QuestionCounts | None]],
    ) -> list[tuple[list[Failure], AuditStats]]:
        order = sorted(range(len(tasks)), key=lambda i: size(tasks[i]))
        with ThreadPoolExecutor(max_workers=workers()) as pool:
            done = dict(zip(order, pool.map(audit, [tasks[i] for i in order]), strict=True))
        return [done[i] for i in range(len(tasks))]  # the same order every time

    _new_highs()  # the first solver is made here: it silences HiGHS's banner process-wide
    # Respondents first: a group whose size fails is repaired before its questions are
    # looked at, so they need not prove the same again in every question's program.
    outcomes = audit_all([(blocks, None) for blocks in groups])
    later = frozenset(f.cell for found, _ in outcomes for f in found if f.pattern == RESPONDENTS)
    outcomes += audit_all(
        [(blocks, question) for blocks in groups for question in counts.questions]
    )
    failures: list[Failure] = []
    for found, own in outcomes:
        failures += found
        stats.cells_checked += own.cells_checked
        stats.programs += own.programs
        stats.integer_programs += own.integer_programs
    stats.seconds += time.perf_counter() - started
    return failures
