"""Disclosure control: which cells a total's parts must hide (docs/privacy.md, rules 1, 3 and 5).

Everything works on respondent counts. A cell is hidden when 0 < n < k (primary
suppression). Then, wherever cells add up to a total that is also published, enough further
cells are hidden that what can be recovered by subtraction (the published total minus the
visible cells) is either nothing or a group of at least k people (secondary suppression).
"Prefer not to say" and "not answered" are cells like any other.

The functions are pure and work on plain sequences, so property tests can attack them
directly; analysis/tables.py applies them once, before any renderer sees a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def protect_partition(
    counts: Sequence[int],
    k: int,
    *,
    unpublished: int = 0,
    hidden: set[int] | frozenset[int] = frozenset(),
) -> set[int]:
    """Cells to hide among counts that, with `unpublished` more, add up to a published total.

    `unpublished` is any part of the total that is never shown on its own (responses
    attached to a parent unit rather than to one of its children). `hidden` are cells
    already hidden for another reason. Returns the full set of hidden indices.
    """
    out = set(hidden) | {i for i, n in enumerate(counts) if 0 < n < k}

    def recoverable() -> int:
        return unpublished + sum(counts[i] for i in out)

    while 0 < recoverable() < k:
        candidates = [i for i, n in enumerate(counts) if i not in out and n > 0]
        if not candidates:
            break
        # Hide the smallest visible cell: it costs the least information.
        out.add(min(candidates, key=lambda i: (counts[i], i)))
    return out


def no_lone_hidden(counts: Sequence[int], hidden: set[int], *, unpublished: int = 0) -> set[int]:
    """Make sure a hidden group with people in it is never the only unknown of a total.

    protect_partition keeps what subtraction recovers at k or more, but a lone hidden
    group that is large enough is still recovered exactly, and a recovered group gives no
    cover in the other totals it belongs to (its answers, too, are then known, which can
    single out a small group beside it elsewhere). So where one hidden group with people
    in it is all that is unknown of a total, the smallest visible group is hidden too.
    """
    unknown = [i for i in hidden if counts[i] > 0]
    if len(unknown) != 1 or unpublished > 0:
        return hidden
    candidates = [i for i, n in enumerate(counts) if i not in hidden and n > 0]
    if not candidates:
        return hidden
    return hidden | {min(candidates, key=lambda i: (counts[i], i))}


def protect_tree(
    counts: Mapping[str, int],
    children: Mapping[str, Sequence[str]],
    roots: Sequence[str],
    k: int,
) -> set[str]:
    """Hidden nodes of a hierarchy in which every node's total is published.

    A hidden node hides its whole subtree, so it cannot be rebuilt from its children.
    Each visible node's children are protected as a partition of it; whatever belongs to
    the node itself rather than a child is the unpublished remainder.
    """
    hidden: set[str] = set()
    # The roots partition the grand total, which is itself published.
    root_list = list(roots)
    for i in protect_partition([counts.get(r, 0) for r in root_list], k):
        hidden.add(root_list[i])
    queue = list(root_list)
    while queue:
        node = queue.pop(0)
        kids = list(children.get(node, ()))
        if not kids:
            continue
        if node in hidden:
            hidden.update(kids)
        else:
            kid_counts = [counts.get(c, 0) for c in kids]
            remainder = counts.get(node, 0) - sum(kid_counts)
            for i in protect_partition(kid_counts, k, unpublished=max(remainder, 0)):
                hidden.add(kids[i])
        queue.extend(kids)
    return hidden


def protect_table(
    cells: Sequence[Sequence[int]],
    row_totals: Sequence[int],
    col_totals: Sequence[int],
    k: int,
    *,
    hidden_rows: set[int] | frozenset[int] = frozenset(),
    hidden_cols: set[int] | frozenset[int] = frozenset(),
) -> set[tuple[int, int]]:
    """Hidden cells of a two-way table whose row and column totals are published.

    A row or column whose total is hidden hides all its cells. Each row and each column is
    then protected as a partition of its total, repeating until nothing changes.
    """
    rows, cols = len(cells), len(col_totals)
    hidden = {(r, c) for r in range(rows) for c in range(cols) if 0 < cells[r][c] < k}
    hidden |= {(r, c) for r in hidden_rows for c in range(cols)}
    hidden |= {(r, c) for c in hidden_cols for r in range(rows)}
    changed = True
    while changed:
        changed = False
        for r in range(rows):
            if r in hidden_rows:
                continue
            row = [cells[r][c] for c in range(cols)]
            now = {c for c in range(cols) if (r, c) in hidden}
            extra = max(row_totals[r] - sum(row), 0)
            new = protect_partition(row, k, unpublished=extra, hidden=now) - now
            if new:
                hidden |= {(r, c) for c in new}
                changed = True
        for c in range(cols):
            if c in hidden_cols:
                continue
            col = [cells[r][c] for r in range(rows)]
            now = {r for r in range(rows) if (r, c) in hidden}
            extra = max(col_totals[c] - sum(col), 0)
            new = protect_partition(col, k, unpublished=extra, hidden=now) - now
            if new:
                hidden |= {(r, c) for r in new}
                changed = True
    return hidden
