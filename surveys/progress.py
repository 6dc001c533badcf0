"""Progress during an open wave: released response counts by unit, in whole batches.

Answers wait in *pools* until a batch of B = max(FIREVOICE_BATCH_SIZE, k_unit) is released
(storage/batches.py). A watch waits with its station; every other unit is its own pool.
`/progress` shows, for a unit and the units below it, how many responses have been
released so far: a unit's count is the sum of its pools' released counts, so it moves only
in whole batches and is never below k_unit unless it is 0. A count under k_unit is not
shown at all, and watches (pooled with their station) have no count of their own.

What a progress count gives away (docs/privacy.md, "Progress during a wave"): that the
pool's final respondents are at least that many. The counts shown are recorded by pool,
and the wave's disclosure audit takes the highest count each pool showed as a published
lower bound (analysis/linked.py, `Floor`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from surveys.access import subtree


def pool_of(code: str, kind: str, parent: str | None) -> str:
    """The pool a unit's responses wait in: a watch waits with its station."""
    if kind == "watch" and parent:
        return parent
    return code


@dataclass(frozen=True)
class ProgressUnit:
    code: str
    name: str
    kind: str
    parent: str | None
    headcount: int | None


@dataclass(frozen=True)
class ProgressRow:
    code: str
    name: str
    depth: int  # 0 for the unit asked about, 1 for the units directly below it
    count: int | None  # None: fewer than k_unit released so far (or none)
    headcount: int | None
    drill: bool  # has units below it with counts of their own

    @property
    def rate(self) -> float | None:
        if self.count is None or not self.headcount:
            return None
        return round(100 * self.count / self.headcount, 1)


class Tree:
    """A wave's organisation as it opened, for progress counts."""

    def __init__(self, units: Sequence[ProgressUnit]):
        self.units = {u.code: u for u in units}
        self.parents = {u.code: u.parent for u in units}
        self.children: dict[str, list[str]] = {}
        for u in units:
            if u.parent and u.parent in self.units:
                self.children.setdefault(u.parent, []).append(u.code)
        for kids in self.children.values():
            kids.sort(key=lambda c: self.units[c].name.lower())

    def pool(self, code: str) -> str:
        u = self.units[code]
        return pool_of(u.code, u.kind, u.parent)

    def counted(self, code: str) -> bool:
        """Whether a unit has a count of its own (a watch waits with its station)."""
        return self.pool(code) == code

    def subtree(self, code: str) -> set[str]:
        return subtree(self.parents, code)

    def pools_in(self, code: str) -> set[str]:
        """The pools whose responses count towards a unit's figure."""
        if not self.counted(code):
            return set()
        return {self.pool(c) for c in self.subtree(code)}

    def counted_children(self, code: str) -> list[str]:
        return [c for c in self.children.get(code, []) if self.counted(c)]


def rows(tree: Tree, released: Mapping[str, int], scope: str, k_unit: int) -> list[ProgressRow]:
    """The scope and the units directly below it with counts of their own.

    `released` maps a pool to its released responses. A unit's count is the sum over the
    pools in its subtree, shown only where it is at least `k_unit`.
    """

    def row(code: str, depth: int) -> ProgressRow:
        total = sum(released.get(p, 0) for p in tree.pools_in(code))
        unit = tree.units[code]
        return ProgressRow(
            code,
            unit.name,
            depth,
            total if total >= k_unit else None,
            unit.headcount,
            bool(tree.counted_children(code)),
        )

    return [row(scope, 0)] + [row(c, 1) for c in tree.counted_children(scope)]


def shown_pools(tree: Tree, released: Mapping[str, int], scope: str) -> dict[str, int]:
    """What a view of `scope` discloses, pool by pool: every pool counted in it (recorded
    for the audit even where a sum hides it, which only errs on the safe side)."""
    pools: set[str] = set()
    for code in [scope, *tree.counted_children(scope)]:
        pools |= tree.pools_in(code)
    return {p: released[p] for p in sorted(pools) if released.get(p, 0) > 0}


def days_left(closes_on: date | None, today: date) -> int | None:
    """Whole days left to answer, counting today; None without a closing date."""
    if closes_on is None:
        return None
    return max(0, (closes_on - today).days + 1)


__all__ = [
    "ProgressRow",
    "ProgressUnit",
    "Tree",
    "days_left",
    "pool_of",
    "rows",
    "shown_pools",
]
