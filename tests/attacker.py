"""An attacker with the whole publication, written apart from the audit's own code.

It knows the organisation, the survey, which characteristics vary in the test data and
every number the publication holds (every view in every format is a filter of it). Its
unknowns are the full cross-classification: how many people of each unit, with each
combination of the varying characteristics, gave each answer to each question. That is
finer than the audit's linked tables, so it sees everything they see and more. For each
hidden published group under its threshold it solves integer programs
(scipy.optimize.milp) for what can be proved, and applies the audit's rule:

* the group is shown to exist and be under k;
* or, once shown to exist, one of its answer counts is pinned above zero;
* or everyone in it is shown to have given one answer that no shown group containing it
  gave unanimously (such unanimity is published by that group itself).

Given every version of a corrected wave, it holds all of their figures at once: the
responses fall into parts (what the last version counts, and what each correction
withdrew), version i counts part 0 and the parts withdrawn after it, and each withdrawn
part's own groups are attacked as well as every version's hidden groups.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from analysis.data import NOT_ANSWERED
from analysis.publication import Publication
from surveys.model import Question, QuestionType


@dataclass(frozen=True)
class Exposure:
    breakdown: str
    group: str
    question: str  # "" for the respondent count
    reason: str


class Attacker:
    def __init__(
        self,
        publication: Publication | list[Publication],
        varying: list[str],
        truth: dict[str, object],
    ):
        """`truth` maps 'respondents' and each question key to the real cube counts, used
        only to know which groups are under the threshold (as the rule asks). With several
        versions, the cube has one copy per part (see the module's docstring)."""
        self.versions = publication if isinstance(publication, list) else [publication]
        self.p = self.versions[-1]
        n_parts = len(self.versions)
        self.counted = [[0, *range(i, n_parts)] for i in range(1, n_parts + 1)]
        publication = self.p
        self.varying = varying
        self.survey = publication.survey_definition()
        self.questions = [q for q in self.survey.questions if q.type != QuestionType.FREE_TEXT]
        self.units = [u.code for u in publication.units]
        self.kind = {u.code: u.kind for u in publication.units}
        self.parent = {u.code: u.parent for u in publication.units}
        self.headcount = {u.code: u.headcount for u in publication.units}
        self.combos = list(itertools.product(*(publication.categories[c] for c in varying)))
        self.base = [(u, combo) for u in self.units for combo in self.combos]
        self.cells = [(part, *cell) for part in range(n_parts) for cell in self.base]
        self.index = {cell: i for i, cell in enumerate(self.cells)}
        self.truth = truth
        # Variables: respondents per cube cell; per question, answering and answers.
        n = len(self.cells)
        self.offset_answering: dict[str, int] = {}
        self.offset_answers: dict[str, int] = {}
        self.options: dict[str, list[str]] = {}
        size = n
        for q in self.questions:
            self.options[q.key] = q.option_keys()
            self.offset_answering[q.key] = size
            size += n
            self.offset_answers[q.key] = size
            size += n * len(self.options[q.key])
        self.size = size
        self._rows: list[tuple[list[int], list[float], float, float]] = []
        self._build()

    # --- which cube cells make a group --------------------------------------------------

    def subtree(self, code: str) -> set[str]:
        out = {code}
        changed = True
        while changed:
            changed = False
            for unit, parent in self.parent.items():
                if parent in out and unit not in out:
                    out.add(unit)
                    changed = True
        return out

    def value_of(self, characteristic: str, combo: tuple[str, ...]) -> str:
        if characteristic in self.varying:
            return combo[self.varying.index(characteristic)]
        return NOT_ANSWERED

    def within(self, members: list[int], parts: list[int]) -> list[int]:
        """The cube cells of these base cells in these parts."""
        return [p * len(self.base) + i for p in parts for i in members]

    def members(self, breakdown: str, group: str) -> list[int]:
        """The base cells (unit, combination) of a group."""
        if breakdown == "all":
            return list(range(len(self.base)))
        if breakdown in ("service", "area", "station", "watch", "department"):
            inside = self.subtree(group)
            return [i for i, (u, _) in enumerate(self.base) if u in inside]
        if "×" in breakdown:
            first, second = breakdown.split("×")
            a, b = group.split("|")
            if first in ("area", "station"):
                inside = self.subtree(a)
                return [
                    i
                    for i, (u, combo) in enumerate(self.base)
                    if u in inside and self.value_of(second, combo) == b
                ]
            return [
                i
                for i, (_, combo) in enumerate(self.base)
                if self.value_of(first, combo) == a and self.value_of(second, combo) == b
            ]
        if breakdown == "ethnic_group" and "ethnicity" not in self.varying:
            return [i for i, (_, c) in enumerate(self.base) if group == NOT_ANSWERED]
        return [
            i for i, (_, combo) in enumerate(self.base) if self.value_of(breakdown, combo) == group
        ]

    # --- the program ---------------------------------------------------------------------

    def _row(self, columns: list[int], coefficients: list[float], low: float, high: float) -> None:
        self._rows.append((columns, coefficients, low, high))

    def _build(self) -> None:
        for version, parts in zip(self.versions, self.counted, strict=True):
            for row in version.groups:
                if row.respondents is not None:
                    columns = self.within(self.members(row.breakdown, row.group), parts)
                    self._row(columns, [1.0] * len(columns), row.respondents, row.respondents)
        # Counts shown while the wave was open (/progress): a pool had at least that many
        # released responses. A watch's answers waited with its station; every other unit
        # was its own pool. Only chat responses were counted, and a correction withdraws
        # imports only, so the bound is on part 0.
        for version in self.versions:
            for pool, floor in version.progress.items():
                inside = {
                    u
                    for u in self.units
                    if (self.parent[u] if self.kind[u] == "watch" and self.parent[u] else u) == pool
                }
                members = [i for i, (u, _) in enumerate(self.base) if u in inside]
                columns = self.within(members, [0])
                self._row(columns, [1.0] * len(columns), floor, np.inf)
        everything = list(range(len(self.versions)))
        for unit in self.units:
            if self.headcount[unit] is not None:
                columns = self.within(self.members(self.kind[unit], unit), everything)
                self._row(columns, [1.0] * len(columns), 0, self.headcount[unit])
        n = len(self.cells)
        for q in self.questions:
            x0, a0, width = (
                self.offset_answering[q.key],
                self.offset_answers[q.key],
                len(self.options[q.key]),
            )
            always = not q.optional and q.show_if is None
            for i in range(n):
                options = [a0 + i * width + o for o in range(width)]
                if always:
                    self._row([x0 + i, i], [1.0, -1.0], 0, 0)
                else:
                    self._row([x0 + i, i], [1.0, -1.0], -np.inf, 0)
                if q.type == QuestionType.MULTIPLE_CHOICE:
                    for o in options:
                        self._row([o, x0 + i], [1.0, -1.0], -np.inf, 0)
                    self._row([x0 + i, *options], [1.0] + [-1.0] * width, -np.inf, 0)
                else:
                    self._row([*options, x0 + i], [1.0] * width + [-1.0], 0, 0)
            for version, parts in zip(self.versions, self.counted, strict=True):
                for row in version.answers[q.key]:
                    if row.n is None or row.counts is None:
                        continue
                    members = self.within(self.members(row.breakdown, row.group), parts)
                    self._row([x0 + i for i in members], [1.0] * len(members), row.n, row.n)
                    for o, value in enumerate(row.counts):
                        columns = [a0 + i * width + o for i in members]
                        self._row(columns, [1.0] * len(columns), value, value)
        matrix = lil_matrix((len(self._rows), self.size))
        low, high = [], []
        for r, (columns, coefficients, lo, hi) in enumerate(self._rows):
            for c, v in zip(columns, coefficients, strict=True):
                matrix[r, c] += v
            low.append(lo)
            high.append(hi)
        self.constraint = LinearConstraint(matrix.tocsr(), low, high)

    def bound(self, columns: list[int], maximise: bool) -> int:
        cost = np.zeros(self.size)
        cost[columns] = -1.0 if maximise else 1.0
        result = milp(
            cost,
            constraints=self.constraint,
            integrality=np.ones(self.size),
            bounds=Bounds(0, np.inf),
        )
        if result.status != 0 and maximise:
            # Nothing published bounds it (the truth is feasible, so it is unbounded).
            return 10**9
        assert result.status == 0, result.message
        return round(-result.fun if maximise else result.fun)

    # --- the rule ----------------------------------------------------------------------

    def true_count(self, key: str, members: list[int], option: int | None = None) -> int:
        values = self.truth[key]
        assert isinstance(values, np.ndarray)
        if option is None:
            return int(values[members].sum())
        return int(values[members, option].sum())

    def about_varying(self, breakdown: str) -> bool:
        """Groups defined by units and varying characteristics only. The attacker is told
        that nobody answered the others (everyone is "not answered" there), which a real
        attacker does not know: groups defined by those are trivially pinned by it, so
        they are not attacked; every other group gains nothing from it."""
        parts = breakdown.split("×")
        units = {"all", "service", "area", "station", "watch", "department"}
        return all(part in units or part in self.varying for part in parts)

    def targets(self) -> list[tuple[str, str, list[int], list[int], bool, dict[str, bool]]]:
        """Every group to attack: (breakdown, group, base cells, parts, respondents hidden,
        hidden per question) for each version, and each withdrawn part's groups alone."""
        out = []
        for version, parts in zip(self.versions, self.counted, strict=True):
            answers = {
                key: {(r.breakdown, r.group): r.counts is None for r in rows}
                for key, rows in version.answers.items()
            }
            for row in version.groups:
                key = (row.breakdown, row.group)
                out.append(
                    (
                        row.breakdown,
                        row.group,
                        self.members(*key),
                        parts,
                        row.respondents is None,
                        {q: hidden[key] for q, hidden in answers.items()},
                    )
                )
        for part in range(1, len(self.versions)):
            for row in self.p.groups:
                key = (row.breakdown, row.group)
                hidden = dict.fromkeys(self.p.answers, True)
                out.append(
                    (
                        f"withdrawn{part}:{row.breakdown}",
                        row.group,
                        self.members(*key),
                        [part],
                        True,
                        hidden,
                    )
                )
        return out

    def exposures(self, only: set[tuple[str, str]] | None = None) -> list[Exposure]:
        """What can be worked out about every hidden group (or only these groups)."""
        found: list[Exposure] = []
        k_of = {
            "all": self.p.k_unit,
            **dict.fromkeys(("service", "area", "station", "watch", "department"), self.p.k_unit),
        }
        shown: dict[str, list[tuple[set[int], object]]] = {q.key: [] for q in self.questions}
        for version, parts in zip(self.versions, self.counted, strict=True):
            for q in self.questions:
                shown[q.key] += [
                    (set(self.within(self.members(r.breakdown, r.group), parts)), r)
                    for r in version.answers[q.key]
                    if r.counts
                ]
        for name, group, base, parts, hidden, hidden_answers in self.targets():
            breakdown = name.split(":")[-1]
            if not self.about_varying(breakdown) or (
                only is not None and (breakdown, group) not in only
            ):
                continue
            k = k_of.get(breakdown, self.p.k_characteristic)
            members = self.within(base, parts)
            if hidden:
                true = self.true_count("respondents", members)
                if 0 < true < k:
                    low = self.bound(members, False)
                    high = self.bound(members, True)
                    if low >= 1 and high <= k - 1:
                        found.append(Exposure(name, group, "", f"{low}-{high}"))
            for q in self.questions:
                if not hidden_answers[q.key]:
                    continue
                found += self.answers_exposed(q, name, group, members, k, shown[q.key])
        return found

    def answers_exposed(
        self, q: object, name: str, group: str, members: list[int], k: int, shown: list
    ) -> list[Exposure]:
        assert isinstance(q, Question)
        found: list[Exposure] = []
        x0, a0 = self.offset_answering[q.key], self.offset_answers[q.key]
        width = len(self.options[q.key])
        n = self.true_count(f"{q.key}:n", members)
        if not 0 < n < k:
            return found
        people = [x0 + i for i in members]
        low = self.bound(people, False)
        if low < 1:
            return found
        if self.bound(people, True) <= k - 1 and not (not q.optional and q.show_if is None):
            return [Exposure(name, group, q.key, "n shown under k")]
        public = self.unanimous_around(members, shown)
        for o in range(width):
            truth = self.true_count(f"{q.key}:a", members, o)
            columns = [a0 + i * width + o for i in members]
            if truth > 0 and o not in public:
                lo, hi = self.bound(columns, False), self.bound(columns, True)
                if lo == hi:
                    found.append(Exposure(name, group, q.key, f"pinned {o}"))
            if truth == n and o not in public:
                others = [
                    a0 + i * width + other for i in members for other in range(width) if other != o
                ]
                if (
                    q.type != QuestionType.MULTIPLE_CHOICE
                    and others
                    and self.bound(others, True) == 0
                ):
                    found.append(Exposure(name, group, q.key, f"all chose {o}"))
        return found

    def unanimous_around(self, members: list[int], shown: list) -> set[int]:
        """Options everyone chose in some shown group containing these people."""
        inside = set(members)
        out: set[int] = set()
        for cells, row in shown:
            if row.n and inside <= cells:
                out.update(o for o, v in enumerate(row.counts) if v == row.n)
        return out
