"""A wave's publication: every number any view may show, protected once, then frozen.

`publish` takes a wave's responses (WaveData, with the organisation and categories frozen
when the wave opened) and returns a `Publication`: respondent counts for every group,
each question's n and answer counts for every group, response rates, comment lists,
gaps between groups and trend rows. Suppression is decided here, jointly, for all of it:

1. primary: every group under its threshold is hidden, empty groups too;
2. secondary, by partitions: wherever published groups add up to a published total,
   enough more are hidden that subtraction recovers nothing under the threshold;
3. the audit (analysis/audit.py) proves, with linear programs over everything published,
   that no hidden group can be shown to exist and be small, and that no hidden answer
   count can be pinned; wherever it can, one more group is hidden and the audit runs
   again, until nothing fails.

One pattern of hidden groups, decided on respondents, holds for every question: a
question may hide more (its own n under the threshold, or answers the audit finds
pinned), never less. Every report, chat summary and dashboard page is a view of the
stored publication (analysis/views.py) and never touches responses again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from analysis import audit, disclosure, stats, versions
from analysis.data import WaveData
from analysis.linked import (
    ALL,
    CHARACTERISTIC_PAIRS,
    INTERSECTION_LEVELS,
    MAIN_CHARACTERISTICS,
    UNIT_LEVELS,
    Counts,
    Structure,
    build_structure,
    count,
)
from analysis.redact import redact
from surveys.equality import CHARACTERISTICS
from surveys.model import FAVOURABLE, PREFER_NOT_TO_SAY, Question, QuestionType, Survey

FORMAT = 1
MAX_ROUNDS = 200
log = logging.getLogger("firevoice.publication")


@dataclass(frozen=True)
class AuditSummary:
    cells_checked: int
    cells_added: int
    published_numbers: int
    programs: int
    integer_programs: int
    components: int
    rounds: int
    seconds: float
    total_seconds: float
    progress_counts: int = 0  # pools whose released counts were shown during the wave

    def sentence(self, language: str = "en") -> str:
        """The one-line summary every report's method note carries."""
        from analysis.words import w

        text = w(
            "audit_sentence",
            language,
            published=f"{self.published_numbers:,}",
            checked=f"{self.cells_checked:,}",
            added=f"{self.cells_added:,}",
            seconds=f"{self.seconds:.1f}",
        )
        if self.progress_counts:
            text += " " + w("audit_progress", language, pools=f"{self.progress_counts:,}")
        return text


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kind: str
    parent: str | None
    headcount: int | None


@dataclass(frozen=True)
class GroupRow:
    breakdown: str
    group: str
    respondents: int | None  # None: hidden


@dataclass(frozen=True)
class AnswerRow:
    breakdown: str
    group: str
    n: int | None  # None: hidden
    counts: tuple[int, ...] | None  # per option of the question, in its order


@dataclass(frozen=True)
class Gap:
    scope: str  # "all" or a unit code: the group is compared with the rest of it
    question: str
    breakdown: str
    group: str
    n: int
    value: float
    rest_n: int
    rest_value: float
    p_value: float
    q_value: float
    method: str
    significant: bool
    indicative: bool

    @property
    def difference(self) -> float:
        return self.value - self.rest_value


@dataclass(frozen=True)
class TrendRow:
    wave: int
    label: str
    opens_on: str
    scope: str  # "all" or a unit code
    question: str
    metric: str
    n: int | None
    value: float | None  # None: hidden


@dataclass(frozen=True)
class Comment:
    question: str
    unit: str  # the smallest unit whose comment list may show it
    text: str


@dataclass(frozen=True)
class ActionRow:
    """An improvement-register action against the previous wave's results, as it stood
    when this wave was released ("you said, we did"). Free text; no figure."""

    wave: int  # the wave whose results it answers
    area: int
    item: str | None
    consideration: str
    unit: str
    lead: str
    due: str | None
    status: str
    progress: str


@dataclass
class Publication:
    survey_key: str
    wave_id: int
    wave_label: str
    opens_on: str
    closed_on: str | None
    k_unit: int
    k_characteristic: int
    k_comments: int
    survey: dict[str, Any]
    monitoring: dict[str, Any] | None
    categories: dict[str, list[str]]
    units: list[UnitRow]
    groups: list[GroupRow]
    answers: dict[str, list[AnswerRow]]
    comment_units: list[str]
    comments: list[Comment]
    gaps: list[Gap]
    trend: list[TrendRow]
    audit: AuditSummary
    synthetic: bool = False
    version: int = 1
    released_on: str = ""
    supersedes: int | None = None
    reason: str | None = None
    format: int = FORMAT
    actions: list[ActionRow] = field(default_factory=list)
    # The highest released count each pool showed during the wave (/progress), which the
    # audit took as published lower bounds. Never shown by a view.
    progress: dict[str, int] = field(default_factory=dict)
    _survey: Survey | None = field(default=None, init=False, repr=False, compare=False)

    # --- reading --------------------------------------------------------------------------

    def survey_definition(self) -> Survey:
        if self._survey is None:
            self._survey = Survey.model_validate(self.survey)
        return self._survey

    def to_json(self) -> str:
        document = {name: value for name, value in asdict(self).items() if not name.startswith("_")}
        for name in ("actions", "progress"):  # publications made before these read the same
            if not document[name]:
                del document[name]
        if not document["audit"]["progress_counts"]:
            del document["audit"]["progress_counts"]
        return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> Publication:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError(f"publication format {raw.get('format')} is not {FORMAT}")
        return cls(  # a KeyError here means a damaged document: the caller says so
            survey_key=raw["survey_key"],
            wave_id=raw["wave_id"],
            wave_label=raw["wave_label"],
            opens_on=raw["opens_on"],
            closed_on=raw["closed_on"],
            k_unit=raw["k_unit"],
            k_characteristic=raw["k_characteristic"],
            k_comments=raw["k_comments"],
            survey=raw["survey"],
            monitoring=raw["monitoring"],
            categories=raw["categories"],
            units=[UnitRow(**u) for u in raw["units"]],
            groups=[GroupRow(**g) for g in raw["groups"]],
            answers={
                key: [
                    AnswerRow(
                        a["breakdown"],
                        a["group"],
                        a["n"],
                        None if a["counts"] is None else tuple(a["counts"]),
                    )
                    for a in rows
                ]
                for key, rows in raw["answers"].items()
            },
            comment_units=raw["comment_units"],
            comments=[Comment(**c) for c in raw["comments"]],
            gaps=[Gap(**g) for g in raw["gaps"]],
            trend=[TrendRow(**t) for t in raw["trend"]],
            audit=AuditSummary(**raw["audit"]),
            synthetic=raw["synthetic"],
            version=raw["version"],
            released_on=raw["released_on"],
            supersedes=raw["supersedes"],
            reason=raw["reason"],
            actions=[ActionRow(**a) for a in raw.get("actions", [])],
            progress={str(k): int(v) for k, v in raw.get("progress", {}).items()},
        )

    def own_trend(self) -> list[TrendRow]:
        return [row for row in self.trend if row.wave == self.wave_id]


# --- suppression ----------------------------------------------------------------------------


class _Suppressor:
    """Primary and secondary suppression over the partitions, and repairs after an audit."""

    def __init__(self, structure: Structure, counts: Counts):
        self.structure = structure
        self.counts = counts
        self.k = np.array([c.k for c in structure.cells], dtype=np.int64)
        self.respondents = counts.values(structure)
        self.answering: dict[str, np.ndarray] = {}
        for q in counts.questions:
            values = np.zeros(len(structure.cells), dtype=np.int64)
            for cell in structure.cells:
                members = structure.blocks[cell.blocks[0]].members[cell.id]
                values[cell.id] = int(q.answering[cell.blocks[0]][members].sum())
            self.answering[q.question.key] = values
        # Where each cell is a child, or (for the finest unpublished groups) inside the
        # remainder: (block, partition) pairs.
        self.child_of: dict[int, list[tuple[int, int]]] = {}
        for b, block in enumerate(structure.blocks):
            for p, part in enumerate(block.partitions):
                for child in part.children:
                    self.child_of.setdefault(child, []).append((b, p))
        for cell in structure.cells:
            if cell.published:
                continue
            block = structure.blocks[cell.blocks[0]]
            base = block.members[cell.id]
            for p, part in enumerate(block.partitions):
                if np.isin(base, part.remainder).all():
                    self.child_of.setdefault(cell.id, []).append((cell.blocks[0], p))
        self.unpublished = np.array([not c.published for c in structure.cells], dtype=bool)
        self.tier = [_tier(c.breakdown) for c in structure.cells]
        # Per question, the groups in which everyone gave the same answer.
        self.unanimous: dict[str, np.ndarray] = {}
        for q in counts.questions:
            flags = np.zeros(len(structure.cells), dtype=bool)
            for cell in structure.cells:
                members = structure.blocks[cell.blocks[0]].members[cell.id]
                answers = q.answers[cell.blocks[0]][members].sum(axis=0)
                n = self.answering[q.question.key][cell.id]
                flags[cell.id] = n > 0 and bool((answers == n).any())
            self.unanimous[q.question.key] = flags

    def values(self, key: str) -> np.ndarray:
        return self.respondents if key == audit.RESPONDENTS else self.answering[key]

    def remainder(self, key: str, block: int, members: np.ndarray) -> int:
        if key == audit.RESPONDENTS:
            return int(self.counts.respondents[block][members].sum())
        q = next(q for q in self.counts.questions if q.question.key == key)
        return int(q.answering[block][members].sum())

    def primary(self, key: str) -> np.ndarray:
        """Groups under their threshold, empty ones too, and groups never published."""
        below: np.ndarray = (self.values(key) < self.k) | self.unpublished
        return below

    def propagate(self, key: str, mask: np.ndarray, fixed: np.ndarray) -> None:
        """Secondary suppression: repeat over every partition until nothing changes.

        Partitions of `fixed` cells (an earlier version's, already published) are left as
        they were published."""
        values = self.values(key)
        remainders = {
            (b, p): self.remainder(key, b, part.remainder)
            for b, block in enumerate(self.structure.blocks)
            for p, part in enumerate(block.partitions)
        }
        changed = True
        while changed:
            changed = False
            for b, block in enumerate(self.structure.blocks):
                for p, part in enumerate(block.partitions):
                    children = part.children
                    if fixed[part.parent]:
                        continue
                    if mask[part.parent]:
                        # A hidden total hides its parts, or they would add up to it.
                        fresh = [c for c in children if not mask[c]]
                        if fresh:
                            mask[fresh] = True
                            changed = True
                        continue
                    now = {i for i, c in enumerate(children) if mask[c]}
                    counts = [int(values[c]) for c in children]
                    hidden = disclosure.protect_partition(
                        counts,
                        int(max(self.k[c] for c in children)),
                        unpublished=remainders[(b, p)],
                        hidden=now,
                    )
                    hidden = disclosure.no_lone_hidden(
                        counts, hidden, unpublished=remainders[(b, p)]
                    )
                    fresh = [children[i] for i in hidden - now]
                    if fresh:
                        mask[fresh] = True
                        changed = True

    def repair(
        self, failure: audit.Failure, hidden: audit.Hidden, safe: audit.Safe
    ) -> list[tuple[str, int]]:
        """Hide one more cell to break what the audit found.

        First choice: among the shown figures the failing bound rests on (the linear
        program's binding rows), the least important: an intersection before a
        characteristic's own figure, that before a unit's total, and the smallest within
        each, so headline figures are the last to go. A shown group whose people all
        gave one answer is kept if possible: it is what makes that answer public for the
        groups inside it, and hiding it would only expose them. Then the smallest shown
        sibling of the failing cell, then its smallest shown total, then the wave's total
        if the proof rests on it; if nothing is left, everything in its blocks (fail
        closed). Nothing, if a figure the proof rests on was hidden earlier in this round.
        """
        key = failure.pattern
        if failure.cell < 0:
            # The audit of these blocks broke: hide all of them, and since nothing of them
            # is shown any more, count them as safe.
            blocks: list[int] = json.loads(key.removeprefix("component:"))
            cells = sorted({c for b in blocks for c in self.structure.blocks[b].members})
            safe.respondents.update(cells)
            for done in safe.questions.values():
                done.update(dict.fromkeys(cells, frozenset(range(1000))))
            return [(audit.RESPONDENTS, c) for c in cells if hidden.hide(audit.RESPONDENTS, c)]
        proof = [
            (pattern_key, cell)
            for pattern_key, cell in failure.binding
            if cell != failure.cell and self.structure.cells[cell].published
        ]
        if any(hidden.pattern(pattern_key)[cell] for pattern_key, cell in proof):
            return []  # a figure the proof rests on was hidden since: the next round looks again
        binding = [
            (
                self.tier[cell],
                bool(self.unanimous.get(pattern_key, self.unpublished)[cell]),
                int(self.values(pattern_key)[cell]),
                cell,
                pattern_key,
            )
            for pattern_key, cell in proof
            if not hidden.fixed[cell] and self.values(pattern_key)[cell] > 0
        ]
        others = [b for b in binding if self.structure.cells[b[3]].breakdown != "all"]
        if others:
            *_, cell, pattern_key = min(others)
            return [(pattern_key, cell)] if hidden.hide(pattern_key, cell) else []
        pattern = hidden.pattern(key)
        values = self.values(key)
        siblings: list[tuple[int, int]] = []
        parents: list[tuple[int, int]] = []
        for b, p in self.child_of.get(failure.cell, []):
            part = self.structure.blocks[b].partitions[p]
            if pattern[part.parent] or hidden.fixed[part.parent]:
                continue  # (a fixed total's parts are fixed too)
            parents.append((int(values[part.parent]), part.parent))
            # For a group inside the remainder every shown child is a way in.
            siblings += [
                (int(values[c]), c)
                for c in part.children
                if c != failure.cell and not pattern[c] and values[c] > 0
            ]
        if siblings:
            choice = min(siblings)[1]
        elif parents:
            choice = min(parents)[1]
        elif binding:  # only the wave's total is left to hide (in a correction, say)
            *_, cell, pattern_key = min(binding)
            return [(pattern_key, cell)] if hidden.hide(pattern_key, cell) else []
        else:
            every = {
                c
                for b in self.structure.cells[failure.cell].blocks
                for c in self.structure.blocks[b].members
            }
            return [(key, c) for c in sorted(every) if hidden.hide(key, c)]
        return [(key, choice)] if hidden.hide(key, choice) else []


def _tier(breakdown: str) -> int:
    """How much a figure matters to readers, for choosing what else to hide."""
    if "×" in breakdown:
        return 0
    if breakdown in CHARACTERISTICS:
        return 1
    if breakdown in UNIT_LEVELS:
        return 2
    return 3


def _protect(
    structure: Structure,
    counts: Counts,
    forced: set[tuple[str, str]],
    start: audit.Hidden | None = None,
) -> tuple[audit.Hidden, AuditSummary]:
    """Suppression and audit until nothing fails. `start` may fix cells (a correction's
    earlier versions, analysis/versions.py) with the patterns they were published with."""
    started = time.perf_counter()
    suppressor = _Suppressor(structure, counts)
    keys = [q.question.key for q in counts.questions]
    hidden = start or audit.Hidden(len(structure.cells), keys)
    free = ~hidden.fixed
    hidden.respondents |= suppressor.primary(audit.RESPONDENTS) & free
    for group in forced:
        if group in structure.index:
            hidden.hide(audit.RESPONDENTS, structure.index[group])
    for key in keys:
        hidden.questions[key] |= suppressor.primary(key) & free
    stats_ = audit.AuditStats()
    safe = audit.Safe()
    added: set[tuple[str, int]] = set()
    rounds = 0
    while True:
        rounds += 1
        suppressor.propagate(audit.RESPONDENTS, hidden.respondents, hidden.fixed)
        for key in keys:
            hidden.questions[key] |= hidden.respondents & free
            suppressor.propagate(key, hidden.questions[key], hidden.fixed)
        failures = audit.run(structure, counts, suppressor.respondents, hidden, safe, stats_)
        if not failures:
            break
        # A group that fails on respondents is repaired there first; its question failures
        # are looked at again after that.
        by_respondents = {f.cell for f in failures if f.pattern == audit.RESPONDENTS}
        changes: list[tuple[str, int]] = []
        for failure in failures:
            if failure.pattern != audit.RESPONDENTS and failure.cell in by_respondents:
                continue
            changes += suppressor.repair(failure, hidden, safe)
        if not changes or rounds >= MAX_ROUNDS:
            # Nothing more to hide that would help: fail closed.
            log.warning("disclosure repairs did not converge; hiding every figure but the total")
            everything = free.copy()
            if not hidden.fixed.any():
                everything[structure.index[ALL]] = hidden.respondents[structure.index[ALL]]
            # else a correction: its total less the earlier one's would be the withdrawn
            # responses' own, so the total goes too
            hidden.respondents |= everything
            for key in keys:
                hidden.questions[key] |= everything
            break
        added.update(changes)
    published = int((~hidden.respondents).sum()) + sum(
        int((~hidden.pattern(q.question.key)).sum()) * (len(q.options) + 1)
        for q in counts.questions
    )  # unpublished groups are always hidden, so they add nothing here
    summary = AuditSummary(
        cells_checked=stats_.cells_checked,
        cells_added=len(added),
        published_numbers=published,
        programs=stats_.programs,
        integer_programs=stats_.integer_programs,
        components=stats_.components,
        rounds=rounds,
        seconds=round(stats_.seconds, 3),
        total_seconds=round(time.perf_counter() - started, 3),
        progress_counts=len(structure.floors),
    )
    return hidden, summary


@dataclass
class Earlier:
    """What a correction is audited together with: every version of the wave's figures
    published so far (oldest first), and the responses withdrawn at each later version and
    now (`withdrawn[i]` was counted by versions 1 to i + 1)."""

    publications: list[Publication]
    withdrawn: list[WaveData]


class MismatchError(ValueError):
    """The responses no longer add up to a figure an earlier version published."""


def _protect_correction(
    structure: Structure, counts: Counts, earlier: Earlier, forced: set[tuple[str, str]]
) -> tuple[audit.Hidden, AuditSummary]:
    """Protect a new version jointly with every earlier one (analysis/versions.py): the
    earlier versions' patterns are fixed as published, only the new version's cells are
    hidden, and every version's hidden groups and each withdrawn part's own are checked."""
    parts = [counts] + [count(structure, data) for data in earlier.withdrawn]
    joint = versions.join(structure, len(earlier.withdrawn))
    joint_counts = versions.join_counts(joint.structure, parts)
    keys = [q.question.key for q in counts.questions]
    start = audit.Hidden(len(joint.structure.cells), keys)
    values = joint_counts.values(joint.structure)
    for publication, ids in zip(earlier.publications, joint.earlier, strict=True):
        start.fixed[ids] = True
        shown = {(g.breakdown, g.group): g.respondents for g in publication.groups}
        for cell in structure.cells:
            n = shown.get(cell.key)
            start.respondents[ids[cell.id]] = n is None
            if n is not None and n != values[ids[cell.id]]:
                raise MismatchError(
                    f"version {publication.version} showed {n} respondents for "
                    f"{cell.breakdown} {cell.group}, but the responses it counted now add up "
                    f"to {values[ids[cell.id]]}"
                )
        for q in joint_counts.questions:
            key = q.question.key
            rows = {(a.breakdown, a.group): a for a in publication.answers.get(key, [])}
            for cell in structure.cells:
                row, j = rows.get(cell.key), ids[cell.id]
                start.questions[key][j] = row is None or row.counts is None
                if (
                    row is not None
                    and row.counts is not None
                    and (
                        row.n != q.cell_answering[j] or list(row.counts) != list(q.cell_answers[j])
                    )
                ):
                    raise MismatchError(
                        f"version {publication.version} showed other answers to {key} for "
                        f"{cell.breakdown} {cell.group} than the responses it counted now give"
                    )
    hidden, summary = _protect(joint.structure, joint_counts, forced, start)
    new = audit.Hidden(len(structure.cells), keys)
    new.respondents = hidden.respondents[joint.new]
    new.questions = {key: mask[joint.new] for key, mask in hidden.questions.items()}
    return new, summary


# --- figures -------------------------------------------------------------------------------


def headline(question: Question) -> str | None:
    if question.type == QuestionType.LIKERT:
        return "pct_favourable"
    if question.type == QuestionType.YES_NO:
        return "pct_yes"
    return None


def trend_metric(question: Question) -> str | None:
    metric = headline(question)
    if metric is None and question.type == QuestionType.SCALE_0_10:
        return "mean"
    return metric


def hits_and_base(
    question: Question, options: list[str], counts: tuple[int, ...]
) -> tuple[int, int]:
    """(people giving the headline answer, everyone answering except 'prefer not to say')."""
    by_option = dict(zip(options, counts, strict=True))
    valid = sum(counts) - by_option.get(PREFER_NOT_TO_SAY, 0)
    if question.type == QuestionType.LIKERT:
        return sum(by_option.get(k, 0) for k in FAVOURABLE), valid
    return by_option.get("yes", 0), valid


def trend_value(question: Question, options: list[str], counts: tuple[int, ...]) -> float | None:
    metric = trend_metric(question)
    if metric in ("pct_favourable", "pct_yes"):
        hits, valid = hits_and_base(question, options, counts)
        return hits / valid * 100 if valid else None
    if metric == "mean":
        by_option = dict(zip(options, counts, strict=True))
        valid = sum(v for k, v in by_option.items() if k != PREFER_NOT_TO_SAY)
        total = sum(int(k) * v for k, v in by_option.items() if k != PREFER_NOT_TO_SAY)
        return total / valid if valid else None
    return None


def _gaps(
    structure: Structure, survey: Survey, answers: dict[str, list[AnswerRow]], k: int
) -> list[Gap]:
    """Each shown group against the rest of its scope, for every headline question."""
    options = {q.key: q.option_keys() for q in survey.questions}
    shown = {
        key: {(r.breakdown, r.group): r for r in rows if r.counts is not None}
        for key, rows in answers.items()
    }
    scopes: list[tuple[str, tuple[str, str], list[tuple[str, str]]]] = []
    for key in CHARACTERISTICS:
        if key == "ethnicity":
            continue
        groups = [c.key for c in structure.cells if c.breakdown == key]
        scopes.append(("all", ALL, groups))
    for level in INTERSECTION_LEVELS:
        for cell in structure.cells:
            if cell.breakdown != level:
                continue
            for key in MAIN_CHARACTERISTICS:
                groups = [
                    c.key
                    for c in structure.cells
                    if c.breakdown == f"{level}×{key}" and c.group.startswith(f"{cell.group}|")
                ]
                scopes.append((cell.group, cell.key, groups))
    raw: list[dict[str, Any]] = []
    for question in survey.questions:
        if headline(question) is None or question.key not in shown:
            continue
        table = shown[question.key]
        for scope, whole_key, groups in scopes:
            whole = table.get(whole_key)
            if whole is None or whole.counts is None:
                continue
            total_hits, total_valid = hits_and_base(question, options[question.key], whole.counts)
            for group_key in groups:
                row = table.get(group_key)
                if row is None or row.counts is None:
                    continue
                hits, valid = hits_and_base(question, options[question.key], row.counts)
                rest_hits, rest_valid = total_hits - hits, total_valid - valid
                if valid < k or rest_valid < k:
                    continue
                test = stats.gap_test(hits, valid, rest_hits, rest_valid)
                raw.append(
                    {
                        "scope": scope,
                        "question": question.key,
                        "breakdown": group_key[0],
                        "group": group_key[1],
                        "n": valid,
                        "value": hits / valid * 100,
                        "rest_n": rest_valid,
                        "rest_value": rest_hits / rest_valid * 100,
                        "p_value": test.p_value,
                        "method": test.method,
                    }
                )
    # Benjamini-Hochberg within each scope: one scope's report is one family of tests.
    out: list[Gap] = []
    for scope in dict.fromkeys(r["scope"] for r in raw):
        family = [r for r in raw if r["scope"] == scope]
        adjusted = stats.benjamini_hochberg(np.array([r["p_value"] for r in family]))
        for r, q in zip(family, adjusted, strict=True):
            out.append(
                Gap(
                    **r,
                    q_value=float(q),
                    significant=bool(q < 0.05),
                    indicative=r["n"] < stats.INDICATIVE_BASE,
                )
            )
    return out


def _comments(
    data: WaveData, structure: Structure, values: np.ndarray, hidden: np.ndarray
) -> tuple[list[str], list[Comment]]:
    """Units whose comment lists may be shown, and each comment at the smallest of them.

    Lists are decided on the whole tree with secondary suppression at the comment
    threshold, so a station's list minus its watches' lists always leaves the comments of
    at least that many people, or of nobody; and only for groups shown in the response
    rates, so a list's length never bounds a hidden group.
    """
    units = data.units
    children, roots = units.children(), units.roots()
    totals = {c.group: int(values[c.id]) for c in structure.cells if c.breakdown in UNIT_LEVELS}
    held = disclosure.protect_tree(totals, children, roots, data.k_comments)
    visible = [
        code
        for code in totals
        if code not in held
        and totals[code] >= data.k_comments
        and not hidden[structure.index[(str(units.table.at[code, "kind"]), code)]]
    ]
    allowed = set(visible)
    comments = []
    frame = data.comments
    for question, unit, text in zip(
        frame.get("question", []), frame.get("unit", []), frame.get("text", []), strict=True
    ):
        home = next((u for u in units.ancestors_or_self(str(unit)) if u in allowed), None)
        if home is not None:
            comments.append(Comment(str(question), home, redact(str(text))))
    # Sorted by text, so the listing says nothing about when each comment was written.
    comments.sort(key=lambda c: (c.question, c.text, c.unit))
    return sorted(allowed), comments


def _as_before(
    data: WaveData, units: list[str], comments: list[Comment], earlier: Earlier
) -> tuple[list[str], list[Comment]]:
    """A correction lists a unit's comments only where every earlier version listed exactly
    the same ones: else the difference would be the withdrawn responses' comments (and a
    unit whose list changed has every list above it changed too)."""

    def listed(unit: str, found: list[Comment]) -> Counter[tuple[str, str]]:
        inside = data.units.subtree(unit)
        return Counter((c.question, c.text) for c in found if c.unit in inside)

    kept = {
        unit
        for unit in units
        if all(
            unit in version.comment_units
            and listed(unit, comments) == listed(unit, version.comments)
            for version in earlier.publications
        )
    }
    return sorted(kept), [c for c in comments if c.unit in kept]


def publish(
    data: WaveData,
    *,
    monitoring: dict[str, Any] | None,
    released_on: date,
    history: list[TrendRow] | None = None,
    forced_hidden: set[tuple[str, str]] | None = None,
    earlier: Earlier | None = None,
    reason: str | None = None,
) -> Publication:
    """Compute and protect everything a wave publishes. Pure: no database, no clock.

    With `earlier`, this is a correction: the next version, audited together with every
    version already published (`reason` says why it was made).
    """
    frame = data.responses
    categories = {key: [str(c) for c in frame[key].cat.categories] for key in CHARACTERISTICS}
    structure = build_structure(data, categories)
    counts = count(structure, data)
    for floor in structure.floors:
        released = int(counts.respondents[floor.block][floor.base].sum())
        if released < floor.value:
            raise MismatchError(
                f"pool {floor.pool} showed {floor.value} released responses during the wave, "
                f"but only {released} are counted now"
            )
    if earlier is None:
        hidden, summary = _protect(structure, counts, forced_hidden or set())
    else:
        if any(p.categories != categories for p in earlier.publications):
            raise MismatchError("the equality categories are not those the wave was released with")
        hidden, summary = _protect_correction(structure, counts, earlier, forced_hidden or set())
    values = counts.values(structure)
    shown = structure.published()
    groups = [
        GroupRow(c.breakdown, c.group, None if hidden.respondents[c.id] else int(values[c.id]))
        for c in shown
    ]
    answers: dict[str, list[AnswerRow]] = {}
    for q in counts.questions:
        pattern = hidden.pattern(q.question.key)
        rows = []
        for cell in shown:
            if pattern[cell.id]:
                rows.append(AnswerRow(cell.breakdown, cell.group, None, None))
                continue
            block = cell.blocks[0]
            members = structure.blocks[block].members[cell.id]
            rows.append(
                AnswerRow(
                    cell.breakdown,
                    cell.group,
                    int(q.answering[block][members].sum()),
                    tuple(int(v) for v in q.answers[block][members].sum(axis=0)),
                )
            )
        answers[q.question.key] = rows
    comment_units, comments = _comments(data, structure, values, hidden.respondents)
    if earlier is not None:
        comment_units, comments = _as_before(data, comment_units, comments, earlier)
    table = data.units.table
    units = [
        UnitRow(
            str(code),
            str(table.at[code, "name"]),
            str(table.at[code, "kind"]),
            table.at[code, "parent"] if isinstance(table.at[code, "parent"], str) else None,
            int(table.at[code, "headcount"]) if _known(table.at[code, "headcount"]) else None,
        )
        for code in table.index
    ]
    trend = [row for row in history or [] if row.wave != data.wave_id]
    trend += _own_trend(data, answers)
    return Publication(
        survey_key=data.survey.key,
        wave_id=data.wave_id,
        wave_label=data.label,
        opens_on=data.opens_on.isoformat(),
        closed_on=None,
        k_unit=data.k_unit,
        k_characteristic=data.k_characteristic,
        k_comments=data.k_comments,
        survey=data.survey.model_dump(mode="json"),
        monitoring=monitoring,
        categories=categories,
        units=units,
        groups=groups,
        answers=answers,
        comment_units=comment_units,
        comments=comments,
        gaps=_gaps(structure, data.survey, answers, data.k_characteristic),
        trend=trend,
        audit=summary,
        synthetic=data.synthetic,
        version=1 + (len(earlier.publications) if earlier else 0),
        released_on=released_on.isoformat(),
        supersedes=earlier.publications[-1].version if earlier else None,
        reason=reason,
        progress={f.pool: f.value for f in structure.floors},
    )


def _known(value: object) -> bool:
    return value is not None and value == value  # not None, not NaN


def _own_trend(data: WaveData, answers: dict[str, list[AnswerRow]]) -> list[TrendRow]:
    rows = []
    for question in data.survey.questions:
        metric = trend_metric(question)
        if metric is None or question.key not in answers:
            continue
        options = question.option_keys()
        for row in answers[question.key]:
            if row.breakdown != "all" and row.breakdown not in UNIT_LEVELS:
                continue
            scope = "all" if row.breakdown == "all" else row.group
            value = None if row.counts is None else trend_value(question, options, row.counts)
            rows.append(
                TrendRow(
                    data.wave_id,
                    data.label,
                    data.opens_on.isoformat(),
                    scope,
                    question.key,
                    metric,
                    row.n,
                    None if value is None else round(value, 6),
                )
            )
    return rows


__all__ = [
    "CHARACTERISTIC_PAIRS",
    "ActionRow",
    "AnswerRow",
    "AuditSummary",
    "Comment",
    "Earlier",
    "Gap",
    "GroupRow",
    "MismatchError",
    "Publication",
    "TrendRow",
    "UnitRow",
    "publish",
]
