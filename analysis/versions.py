"""Superseding versions: one structure for every version of a wave's figures seen so far.

A released publication is never changed. A correction (a wrong file import withdrawn) is a
new version, and both have been seen, so an attacker holds the equations of each: version
1 over everything it counted, version 2 over what is left. Their differences are figures
of the withdrawn responses alone. The audit therefore runs over a *joint* structure:

* the responses fall into *parts*: part 0, what the new version counts, and one part per
  withdrawal (the responses withdrawn at version v, which every version before v counted);
* every block of the wave's structure (analysis/linked.py) is laid out once per part, side
  by side, so a block's base cells become (part, base cell);
* every cell appears once per version, as the sum of its base cells over the parts that
  version counts, and once per withdrawn part on its own (never published, always
  checked, like the finest groups);
* the earlier versions' cells are *fixed*: their figures are out, so their pattern of
  hidden cells is read from their publications and never changes; only the new version's
  cells can be hidden to repair what the audit finds.

This module only builds shapes and counts; analysis/publication.py protects them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.linked import Block, Cell, Counts, Partition, QuestionCounts, Structure, per_cell


@dataclass
class Joint:
    structure: Structure
    # For each version (oldest first, the new one last): the joint cell of each wave cell.
    versions: list[np.ndarray]
    # For each withdrawn part: the joint cell of each wave cell, counting that part alone.
    parts: list[np.ndarray]

    @property
    def new(self) -> np.ndarray:
        return self.versions[-1]

    @property
    def earlier(self) -> list[np.ndarray]:
        return self.versions[:-1]


def _never(_: object) -> np.ndarray:
    raise TypeError("a joint structure's blocks are counted from their parts, not encoded")


def join(structure: Structure, withdrawals: int) -> Joint:
    """The joint structure of a wave whose `withdrawals` corrections so far (this one
    included) each withdrew one part: versions 1..withdrawals+1, parts 0..withdrawals.

    Version i (1-based) counts part 0 and every part withdrawn after it: parts i..withdrawals.
    """
    n_parts = withdrawals + 1
    counted = [[0, *range(i, n_parts)] for i in range(1, n_parts + 1)]
    cells: list[Cell] = []
    index: dict[tuple[str, str], int] = {}

    def copy(cell: Cell, prefix: str, published: bool) -> int:
        joint = Cell(
            len(cells),
            f"{prefix}{cell.breakdown}",
            cell.group,
            cell.k,
            list(cell.blocks),
            cell.headcount,
            published,
        )
        cells.append(joint)
        index[joint.key] = joint.id
        return joint.id

    versions = []
    for v in range(len(counted)):
        # The new version keeps the wave's own keys; earlier ones are marked.
        prefix = "" if v == len(counted) - 1 else f"v{v + 1}:"
        versions.append(np.array([copy(c, prefix, c.published) for c in structure.cells]))
    parts = [
        np.array([copy(c, f"withdrawn{p}:", False) for c in structure.cells])
        for p in range(1, n_parts)
    ]
    blocks = []
    for block in structure.blocks:
        size = block.size

        def spread(base: np.ndarray, chosen: list[int], size: int = size) -> np.ndarray:
            return np.concatenate([base + p * size for p in chosen])

        members: dict[int, np.ndarray] = {}
        partitions: list[Partition] = []
        for ids, chosen in zip(versions, counted, strict=True):
            for cell, base in block.members.items():
                members[int(ids[cell])] = spread(base, chosen)
            partitions += [
                Partition(
                    int(ids[part.parent]),
                    [int(ids[c]) for c in part.children],
                    spread(part.remainder, chosen),
                )
                for part in block.partitions
            ]
        for p, ids in enumerate(parts, start=1):
            for cell, base in block.members.items():
                members[int(ids[cell])] = spread(base, [p])
        blocks.append(Block(block.name, size * n_parts, _never, members, partitions))
    # Progress floors count chat responses released in batches; a correction withdraws only
    # imports (part 1 onwards), so a floor stays on part 0, the first base cells of its block.
    joint = Structure(
        cells, index, blocks, structure.categories, structure.floors, versions=len(counted)
    )
    return Joint(joint, versions, parts)


def join_counts(structure: Structure, parts: list[Counts]) -> Counts:
    """The joint counts: each block's base counts of every part, side by side."""
    respondents = [
        np.concatenate([part.respondents[b] for part in parts])
        for b in range(len(parts[0].respondents))
    ]
    questions = []
    for q, question in enumerate(parts[0].questions):
        same = [part.questions[q] for part in parts]
        answering = [
            np.concatenate([s.answering[b] for s in same]) for b in range(len(respondents))
        ]
        answers = [np.concatenate([s.answers[b] for s in same]) for b in range(len(respondents))]
        always = all(s.always for s in same)
        questions.append(
            QuestionCounts(
                question.question,
                question.options,
                always,
                answering,
                answers,
                *per_cell(structure, answering, answers),
            )
        )
    return Counts(respondents, questions)


__all__ = ["Joint", "join", "join_counts"]
