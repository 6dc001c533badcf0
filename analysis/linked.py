"""A wave's published tables as linked blocks of base counts.

Every number a publication shows is a count of respondents (or of answers) in a group,
and every group is a sum of *base cells* of some block:

* ``units``: one base cell per unit (the responses given for that unit itself); a unit's
  figure is the sum over its subtree, the whole wave the sum over everything.
* ``units×C`` for the main characteristics: base cells are (intersection leaf, category),
  where the intersection leaves are the stations plus, for each area and service, "the
  rest of it" (itself and its departments). Station × category, area × category, the
  category margins and the station and area totals are sums of these.
* ``C`` for every other characteristic: one base cell per category.
* ``ethnicity``: the 19 categories, summed into the five ethnic groups.
* ``C1×C2`` for the pairs of main characteristics.

A group that appears in several blocks (the whole wave, a station's total, a category
margin) is one *cell* shared by them. Blocks are linked only through shared cells, which
is what lets the audit (analysis/audit.py) solve small problems instead of one giant one:
where a shared cell is published its value is a constant and the blocks are independent.

*Floors* are lower bounds the wave published while it was open: the highest released
count each pool showed in /progress (surveys/progress.py), over the pool's units' base
cells.

*Partitions* say which published cells add up to which: a parent cell, its children and
the base cells of the parent that are in no child (the part never shown on its own).
Secondary suppression works on them.

This module only describes shapes and counts; it knows nothing of suppression.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data import NOT_ANSWERED, WaveData
from surveys.equality import CHARACTERISTICS, ETHNIC_GROUPS
from surveys.model import PREFER_NOT_TO_SAY, Question, QuestionType
from surveys.progress import pool_of

ALL = ("all", "all")
UNIT_LEVELS = ("service", "area", "station", "watch", "department")
# Unit-level intersections (area and station × characteristic) and pairs of
# characteristics, for the main characteristics.
MAIN_CHARACTERISTICS = ("sex", "ethnic_group", "disability", "age_band")
INTERSECTION_LEVELS = ("area", "station")
CHARACTERISTIC_PAIRS = (
    ("sex", "ethnic_group"),
    ("sex", "disability"),
    ("sex", "age_band"),
    ("ethnic_group", "disability"),
)

Key = tuple[str, str]  # (breakdown, group)


@dataclass
class Cell:
    """A group: its key, its minimum size and the blocks it is a sum in.

    Published cells are the groups a publication shows (or hides). The others are the
    finest groups that are never shown on their own (a station's responses given without
    a watch, the women of Fire Control in an area × sex table): the audit checks them too,
    since subtraction could single them out just the same.
    """

    id: int
    breakdown: str
    group: str
    k: int
    blocks: list[int] = field(default_factory=list)
    headcount: int | None = None
    published: bool = True

    @property
    def key(self) -> Key:
        return (self.breakdown, self.group)


@dataclass
class Partition:
    """Published children that, with the unpublished remainder, add up to a parent."""

    parent: int
    children: list[int]
    remainder: np.ndarray  # base cells of the block in the parent but in no child


@dataclass
class Block:
    name: str
    size: int
    # The base cell of each row of a typed response frame (-1: none).
    encode: Callable[[pd.DataFrame], np.ndarray]
    members: dict[int, np.ndarray] = field(default_factory=dict)  # cell id -> base cells
    partitions: list[Partition] = field(default_factory=list)


@dataclass(frozen=True)
class Floor:
    """A published lower bound: the respondents in some base cells of a block are at least
    `value` (a pool's released count shown during the wave, surveys/progress.py)."""

    block: int
    base: np.ndarray
    value: int
    pool: str


@dataclass
class Structure:
    cells: list[Cell]
    index: dict[Key, int]
    blocks: list[Block]
    categories: dict[str, list[str]]
    floors: list[Floor] = field(default_factory=list)
    # How many versions of the wave's figures it holds: more than 1 for a correction's
    # joint structure (analysis/versions.py).
    versions: int = 1

    def cell(self, key: Key) -> Cell:
        return self.cells[self.index[key]]

    def members(self, cell: int) -> tuple[int, np.ndarray]:
        """One block the cell is a sum in, and its base cells there."""
        block = self.cells[cell].blocks[0]
        return block, self.blocks[block].members[cell]

    def published(self) -> list[Cell]:
        return [c for c in self.cells if c.published]


def _codes(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.asarray(frame[column].cat.codes, dtype=np.int64)


class _Builder:
    def __init__(self, data: WaveData):
        self.data = data
        self.cells: list[Cell] = []
        self.index: dict[Key, int] = {}
        self.blocks: list[Block] = []

    def cell(
        self,
        breakdown: str,
        group: str,
        k: int,
        headcount: int | None = None,
        published: bool = True,
    ) -> int:
        key = (breakdown, group)
        if key not in self.index:
            self.index[key] = len(self.cells)
            self.cells.append(
                Cell(len(self.cells), breakdown, group, k, headcount=headcount, published=published)
            )
        return self.index[key]

    def finest(self, block: Block, name: str, k: int, labels: Sequence[str]) -> None:
        """Unpublished cells for the block's base cells that no published cell equals."""
        taken = {tuple(m.tolist()) for m in block.members.values() if len(m) == 1}
        for base, label in enumerate(labels):
            if (base,) not in taken:
                cell = self.cell(f"{name}:base", label, k, published=False)
                self.member(block, cell, [base])

    def block(self, name: str, size: int, encode: Callable[[pd.DataFrame], np.ndarray]) -> Block:
        block = Block(name, size, encode)
        self.blocks.append(block)
        return block

    def member(self, block: Block, cell: int, base: Sequence[int] | np.ndarray) -> None:
        block.members[cell] = np.asarray(sorted(set(int(b) for b in base)), dtype=np.int64)
        number = len(self.blocks) - 1 if block is self.blocks[-1] else self.blocks.index(block)
        if number not in self.cells[cell].blocks:
            self.cells[cell].blocks.append(number)

    def partition(self, block: Block, parent: int, children: list[int]) -> None:
        if not children:
            return
        covered = (
            np.concatenate([block.members[c] for c in children])
            if children
            else np.empty(0, np.int64)
        )
        remainder = np.setdiff1d(block.members[parent], covered)
        block.partitions.append(Partition(parent, children, remainder))


def _parent(table: pd.DataFrame, code: str) -> str | None:
    parent = table.at[code, "parent"]
    return parent if isinstance(parent, str) else None


def build_structure(data: WaveData, categories: dict[str, list[str]]) -> Structure:
    """The cells, blocks and partitions of a wave's publication (no counts yet)."""
    b = _Builder(data)
    units = data.units
    table = units.table
    codes = [str(c) for c in table.index]
    position = {code: i for i, code in enumerate(codes)}
    kind = {code: str(table.at[code, "kind"]) for code in codes}
    children = units.children()
    roots = units.roots()
    k_unit, k_char = data.k_unit, data.k_characteristic

    def headcount(code: str) -> int | None:
        value = table.at[code, "headcount"]
        return int(value) if pd.notna(value) else None

    # --- units -------------------------------------------------------------------------
    subtree: dict[str, list[int]] = {}

    def collect(code: str) -> list[int]:
        if code not in subtree:
            out = [position[code]]
            for child in children.get(code, []):
                out.extend(collect(child))
            subtree[code] = out
        return subtree[code]

    everything = np.arange(len(codes))
    block = b.block("units", len(codes), lambda f: _codes(f, "unit"))
    units_block = len(b.blocks) - 1
    all_cell = b.cell(*ALL, k_unit)
    b.member(block, all_cell, everything)
    unit_cell: dict[str, int] = {}
    for code in codes:
        unit_cell[code] = b.cell(kind[code], code, k_unit, headcount(code))
        b.member(block, unit_cell[code], collect(code))
    b.partition(block, all_cell, [unit_cell[r] for r in roots])
    for code in codes:
        b.partition(block, unit_cell[code], [unit_cell[c] for c in children.get(code, [])])
    b.finest(block, "units", k_unit, [f"{code} (itself)" for code in codes])
    floors = [
        Floor(
            units_block,
            np.asarray(sorted(position[c] for c in members), dtype=np.int64),
            value,
            pool,
        )
        for pool, value in sorted(data.progress.items())
        if value > 0
        and (members := [c for c in codes if pool_of(c, kind[c], _parent(table, c)) == pool])
    ]

    # --- intersection leaves: stations, and the rest of each area and service ---------------
    leaf_names: list[str] = []
    leaf_of_unit = np.full(len(codes) + 1, -1, dtype=np.int64)  # the extra one for code -1

    def leaf(name: str) -> int:
        leaf_names.append(name)
        return len(leaf_names) - 1

    leaves_under: dict[str, list[int]] = {}  # station / area / root -> its leaves
    for code in codes:
        chain = units.ancestors_or_self(code)
        station = next((u for u in chain if kind[u] == "station"), None)
        area = next((u for u in chain if kind[u] == "area"), None)
        holder = station or area or chain[-1]
        name = holder if holder == station else f"{holder}|rest"
        if name not in leaf_names:
            index = leaf(name)
            for unit in chain[chain.index(holder) :]:
                if kind[unit] in INTERSECTION_LEVELS or unit == chain[-1]:
                    leaves_under.setdefault(unit, []).append(index)
        leaf_of_unit[position[code]] = leaf_names.index(name)
    stations = [c for c in codes if kind[c] == "station"]
    areas = [c for c in codes if kind[c] == "area"]
    n_leaves = len(leaf_names)

    for key in MAIN_CHARACTERISTICS:
        cats = categories[key]
        n_cats = len(cats)

        def encode_units_x(f: pd.DataFrame, key: str = key, n_cats: int = n_cats) -> np.ndarray:
            unit = _codes(f, "unit")
            value = _codes(f, key)
            leaf_index = leaf_of_unit[unit]
            return np.where((leaf_index >= 0) & (value >= 0), leaf_index * n_cats + value, -1)

        block = b.block(f"units×{key}", n_leaves * n_cats, encode_units_x)

        def base(leaves: Sequence[int], cat: int | None, n_cats: int = n_cats) -> list[int]:
            if cat is None:
                return [lf * n_cats + c for lf in leaves for c in range(n_cats)]
            return [lf * n_cats + cat for lf in leaves]

        all_leaves = list(range(n_leaves))
        b.member(block, all_cell, base(all_leaves, None))
        margins = []
        for i, cat in enumerate(cats):
            margins.append(b.cell(key, cat, k_char))
            b.member(block, margins[-1], base(all_leaves, i))
        b.partition(block, all_cell, margins)
        row_cells: dict[str, list[int]] = {}
        for level in INTERSECTION_LEVELS:
            for code in stations if level == "station" else areas:
                if code not in leaves_under:
                    continue
                b.member(block, unit_cell[code], base(leaves_under[code], None))
                row = []
                for i, cat in enumerate(cats):
                    row.append(b.cell(f"{level}×{key}", f"{code}|{cat}", k_char))
                    b.member(block, row[-1], base(leaves_under[code], i))
                row_cells[code] = row
                b.partition(block, unit_cell[code], row)
        for root in roots:
            b.member(block, unit_cell[root], base(leaves_under.get(root, []), None))
        # Columns: a category's margin is made of the areas and the stations outside any
        # area; an area's category cell of its stations.
        top = [a for a in areas if a in row_cells] + [
            s for s in stations if s in row_cells and units.level_of(s, "area") is None
        ]
        for i in range(n_cats):
            b.partition(block, margins[i], [row_cells[u][i] for u in top])
            for area in areas:
                if area not in row_cells:
                    continue
                inside = [
                    s for s in stations if s in row_cells and units.level_of(s, "area") == area
                ]
                b.partition(block, row_cells[area][i], [row_cells[s][i] for s in inside])
        b.finest(
            block,
            f"units×{key}",
            k_char,
            [f"{leaf_name}|{cat}" for leaf_name in leaf_names for cat in cats],
        )

    # --- other characteristics: margins only ----------------------------------------------
    for key in CHARACTERISTICS:
        if key in MAIN_CHARACTERISTICS or key == "ethnicity":
            continue
        cats = categories[key]
        block = b.block(key, len(cats), functools.partial(_codes, column=key))
        b.member(block, all_cell, range(len(cats)))
        margins = []
        for i, cat in enumerate(cats):
            margins.append(b.cell(key, cat, k_char))
            b.member(block, margins[-1], [i])
        b.partition(block, all_cell, margins)

    # --- ethnicity within the five ethnic groups ------------------------------------------
    detailed = categories["ethnicity"]
    block = b.block("ethnicity", len(detailed), lambda f: _codes(f, "ethnicity"))
    b.member(block, all_cell, range(len(detailed)))
    detail_cells = []
    for i, cat in enumerate(detailed):
        detail_cells.append(b.cell("ethnicity", cat, k_char))
        b.member(block, detail_cells[-1], [i])
    group_cells = []
    for group in categories["ethnic_group"]:
        within: tuple[str, ...] = ETHNIC_GROUPS.get(group, (group,) if group in detailed else ())
        if group in (PREFER_NOT_TO_SAY, NOT_ANSWERED):
            within = (group,)
        positions = [detailed.index(c) for c in within if c in detailed]
        group_cells.append(b.cell("ethnic_group", group, k_char))
        b.member(block, group_cells[-1], positions)
        b.partition(block, group_cells[-1], [detail_cells[p] for p in positions])
    b.partition(block, all_cell, group_cells)
    b.partition(block, all_cell, detail_cells)

    # --- pairs of main characteristics -----------------------------------------------------
    for first, second in CHARACTERISTIC_PAIRS:
        rows_, cols_ = categories[first], categories[second]
        n_cols = len(cols_)

        def encode_pair(
            f: pd.DataFrame, first: str = first, second: str = second, n_cols: int = n_cols
        ) -> np.ndarray:
            a, c = _codes(f, first), _codes(f, second)
            return np.where((a >= 0) & (c >= 0), a * n_cols + c, -1)

        block = b.block(f"{first}×{second}", len(rows_) * n_cols, encode_pair)
        b.member(block, all_cell, range(len(rows_) * n_cols))
        grid = [[b.cell(f"{first}×{second}", f"{r}|{c}", k_char) for c in cols_] for r in rows_]
        for i in range(len(rows_)):
            for j in range(n_cols):
                b.member(block, grid[i][j], [i * n_cols + j])
        for i, row_value in enumerate(rows_):
            margin = b.cell(first, row_value, k_char)
            b.member(block, margin, [i * n_cols + j for j in range(n_cols)])
            b.partition(block, margin, grid[i])
        for j, col_value in enumerate(cols_):
            margin = b.cell(second, col_value, k_char)
            b.member(block, margin, [i * n_cols + j for i in range(len(rows_))])
            b.partition(block, margin, [grid[i][j] for i in range(len(rows_))])
    return Structure(b.cells, b.index, b.blocks, categories, floors)


# --- counts -----------------------------------------------------------------------------------


@dataclass
class QuestionCounts:
    """One countable question's base counts in every block."""

    question: Question
    options: list[str]
    always: bool  # everyone who responded answered it (so its n is the respondent count)
    answering: list[np.ndarray]  # per block: people answering, per base cell
    answers: list[np.ndarray]  # per block: base cells x options
    # Per cell of the structure: people answering, and cells x options.
    cell_answering: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    cell_answers: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.int64))


@dataclass
class Counts:
    respondents: list[np.ndarray]  # per block: respondents per base cell
    questions: list[QuestionCounts]

    def value(self, structure: Structure, cell: int) -> int:
        block, members = structure.members(cell)
        return int(self.respondents[block][members].sum())

    def values(self, structure: Structure) -> np.ndarray:
        return np.array([self.value(structure, c.id) for c in structure.cells], dtype=np.int64)


def countable(questions: Sequence[Question]) -> list[Question]:
    return [q for q in questions if q.type != QuestionType.FREE_TEXT]


def count(structure: Structure, data: WaveData) -> Counts:
    """Base counts of every block, for respondents and for each countable question."""
    frame = data.responses
    encoded = [block.encode(frame) for block in structure.blocks]
    respondents = [
        np.bincount(codes[codes >= 0], minlength=block.size).astype(np.int64)
        for block, codes in zip(structure.blocks, encoded, strict=True)
    ]
    questions: list[QuestionCounts] = []
    multi_encoded: list[np.ndarray] | None = None
    for question in countable(data.survey.questions):
        options = question.option_keys()
        n_options = len(options)
        answering: list[np.ndarray] = []
        answers: list[np.ndarray] = []
        if question.type == QuestionType.MULTIPLE_CHOICE:
            rows = data.multi[data.multi["question"] == question.key]
            if multi_encoded is None:
                multi_encoded = [block.encode(data.multi) for block in structure.blocks]
            selector = (data.multi["question"] == question.key).to_numpy()
            values = pd.Categorical(rows["option"], categories=options).codes.astype(np.int64)
            person = pd.Categorical(rows["response"]).codes.astype(np.int64)
            for block, all_codes in zip(structure.blocks, multi_encoded, strict=True):
                codes = all_codes[selector]
                ok = (codes >= 0) & (values >= 0)
                matrix = np.bincount(
                    codes[ok] * n_options + values[ok], minlength=block.size * n_options
                ).reshape(block.size, n_options)
                pairs = np.unique(np.stack([codes[ok], person[ok]]), axis=1)
                answering.append(np.bincount(pairs[0], minlength=block.size).astype(np.int64))
                answers.append(matrix.astype(np.int64))
        else:
            values = np.asarray(frame[question.key].cat.codes, dtype=np.int64)
            for block, codes in zip(structure.blocks, encoded, strict=True):
                ok = (codes >= 0) & (values >= 0)
                matrix = np.bincount(
                    codes[ok] * n_options + values[ok], minlength=block.size * n_options
                ).reshape(block.size, n_options)
                answers.append(matrix.astype(np.int64))
                answering.append(matrix.sum(axis=1).astype(np.int64))
        always = (
            not question.optional
            and question.show_if is None
            and all(np.array_equal(x, r) for x, r in zip(answering, respondents, strict=True))
        )
        questions.append(
            QuestionCounts(
                question,
                options,
                always,
                answering,
                answers,
                *per_cell(structure, answering, answers),
            )
        )
    return Counts(respondents, questions)


def per_cell(
    structure: Structure, answering: list[np.ndarray], answers: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """A question's people answering and answer counts (cells x options), per cell."""
    by_cell = np.zeros((len(structure.cells), answers[0].shape[1]), dtype=np.int64)
    n_by_cell = np.zeros(len(structure.cells), dtype=np.int64)
    for cell in structure.cells:
        home, members = structure.members(cell.id)
        by_cell[cell.id] = answers[home][members].sum(axis=0)
        n_by_cell[cell.id] = answering[home][members].sum()
    return n_by_cell, by_cell
