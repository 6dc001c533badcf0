"""The organisation tree (service, area, station, watch, departments) and its CSV form."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class UnitKind(StrEnum):
    SERVICE = "service"
    AREA = "area"
    STATION = "station"
    WATCH = "watch"
    DEPARTMENT = "department"


# Which kinds of unit each kind may sit under. Departments (Fire Control, HR, prevention,
# protection...) can hang off any level above a watch, including another department.
ALLOWED_PARENTS: dict[UnitKind, frozenset[UnitKind]] = {
    UnitKind.SERVICE: frozenset(),
    UnitKind.AREA: frozenset({UnitKind.SERVICE}),
    UnitKind.STATION: frozenset({UnitKind.AREA, UnitKind.SERVICE}),
    UnitKind.WATCH: frozenset({UnitKind.STATION}),
    UnitKind.DEPARTMENT: frozenset(
        {UnitKind.SERVICE, UnitKind.AREA, UnitKind.STATION, UnitKind.DEPARTMENT}
    ),
}

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
COLUMNS = ("code", "name", "kind", "parent_code", "headcount")
MAX_NAME = 200


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    headcount: int | None


@dataclass(frozen=True)
class ExistingUnit:
    code: str
    kind: UnitKind
    parent_code: str | None


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class OrgImportError(Exception):
    def __init__(self, problems: list[RowProblem]):
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


def parse_org_csv(text: str) -> tuple[list[UnitRow], list[RowProblem]]:
    """Read an organisation CSV: the rows usable for the tree, and every problem found.

    A row with a bad name or headcount still takes part in the tree check, so that its
    children are not reported as having an unknown parent.
    """
    text = text.removeprefix("\ufeff")  # Excel writes a byte-order mark
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        return [], [RowProblem(1, None, "; ".join(parts) + f" (expected: {','.join(COLUMNS)})")]
    reader.fieldnames = header

    rows: list[UnitRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append(RowProblem(line, None, "more values than columns"))
                continue
            values = {k: (v or "").strip() for k, v in raw.items()}
            if not any(values.values()):
                continue  # blank line
            row_problems: list[RowProblem] = []
            code = values["code"]
            if not CODE_PATTERN.match(code):
                row_problems.append(
                    RowProblem(
                        line,
                        "code",
                        f"{code!r} is not a valid code (1-32 letters, digits, '-' or '_')",
                    )
                )
            elif code in first_line:
                row_problems.append(
                    RowProblem(
                        line, "code", f"duplicate code {code!r} (first on line {first_line[code]})"
                    )
                )
            else:
                first_line[code] = line
            name = values["name"]
            if not name:
                row_problems.append(RowProblem(line, "name", "name is empty"))
            elif len(name) > MAX_NAME:
                row_problems.append(
                    RowProblem(line, "name", f"name is longer than {MAX_NAME} characters")
                )
            try:
                kind = UnitKind(values["kind"].lower())
            except ValueError:
                kinds = ", ".join(k.value for k in UnitKind)
                row_problems.append(
                    RowProblem(line, "kind", f"{values['kind']!r} is not a unit kind ({kinds})")
                )
                kind = None
            headcount: int | None = None
            if values["headcount"]:
                try:
                    headcount = int(values["headcount"])
                    if headcount < 0:
                        raise ValueError
                except ValueError:
                    row_problems.append(
                        RowProblem(
                            line,
                            "headcount",
                            f"{values['headcount']!r} is not a whole number of people (0 or more)",
                        )
                    )
            problems.extend(row_problems)
            usable = kind is not None and not any(p.column == "code" for p in row_problems)
            if usable and kind is not None:
                rows.append(
                    UnitRow(line, code, name, kind, values["parent_code"] or None, headcount)
                )
    except csv.Error as exc:
        problems.append(RowProblem(reader.line_num, None, f"not valid CSV: {exc}"))
    if not rows and not problems:
        problems.append(RowProblem(1, None, "the file has no units"))
    return rows, problems


def check_tree(rows: list[UnitRow], existing: Mapping[str, ExistingUnit]) -> list[RowProblem]:
    """Problems in the tree that results from applying rows on top of existing units:
    unknown parents, parents of the wrong kind, cycles."""
    merged: dict[str, ExistingUnit] = dict(existing)
    line_of: dict[str, int] = {}
    for row in rows:
        merged[row.code] = ExistingUnit(row.code, row.kind, row.parent_code)
        line_of[row.code] = row.line
    problems: list[RowProblem] = []

    for code, unit in merged.items():
        line = line_of.get(code)
        if unit.parent_code is None:
            if unit.kind != UnitKind.SERVICE:
                problems.append(
                    RowProblem(
                        line or 0, "parent_code", f"{_a(unit.kind.value)} needs a parent unit"
                    )
                    if line
                    else RowProblem(
                        0, None, f"existing unit {code!r} would be left without a parent"
                    )
                )
            continue
        parent = merged.get(unit.parent_code)
        if parent is None:
            problems.append(
                RowProblem(
                    line or 0,
                    "parent_code",
                    f"unknown parent {unit.parent_code!r} (not in this file or the database)",
                )
            )
            continue
        allowed = ALLOWED_PARENTS[unit.kind]
        if parent.kind not in allowed:
            if unit.kind == UnitKind.SERVICE:
                message = "a service is the top of the tree and cannot have a parent"
            else:
                names = " or ".join(_a(k.value) for k in sorted(allowed))
                message = (
                    f"{_a(unit.kind.value)} must sit under {names}, "
                    f"but {unit.parent_code!r} is {_a(parent.kind.value)}"
                )
            if line:
                problems.append(RowProblem(line, "parent_code", message))
            elif unit.parent_code in line_of:
                problems.append(
                    RowProblem(
                        line_of[unit.parent_code],
                        "kind",
                        f"existing unit {code!r} sits under {unit.parent_code!r}: {message}",
                    )
                )

    # Cycles: follow parents from each unit; a walk longer than the tree is a loop.
    reported: set[str] = set()
    for start in merged:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in merged:
            if current in seen:
                loop = seen[seen.index(current) :]
                key = min(loop)
                if key not in reported:
                    reported.add(key)
                    line = min((line_of[c] for c in loop if c in line_of), default=0)
                    problems.append(
                        RowProblem(
                            line,
                            "parent_code",
                            "units form a cycle: " + " -> ".join([*loop, current]),
                        )
                    )
                break
            seen.append(current)
            current = merged[current].parent_code
    return problems


@dataclass(frozen=True)
class OrgUnit:
    """A unit as a wave sees it: the organisation is copied when the wave opens."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    headcount: int | None
    in_audience: bool = True


def audience_tree(units: Sequence[OrgUnit], roots: Sequence[str]) -> list[OrgUnit]:
    """The units a wave opened for `roots` keeps: the roots, everything below them, and
    their ancestors (outside the audience, without headcount, so that levels such as
    area and service still resolve and no response rate is claimed for them).
    """
    by_code = {u.code: u for u in units}
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent_code is not None:
            children.setdefault(unit.parent_code, []).append(unit.code)
    inside: set[str] = set()
    stack = [r for r in roots if r in by_code]
    while stack:
        code = stack.pop()
        if code not in inside:
            inside.add(code)
            stack.extend(children.get(code, []))
    ancestors: set[str] = set()
    for root in roots:
        parent = by_code[root].parent_code if root in by_code else None
        while parent is not None and parent not in inside and parent not in ancestors:
            ancestors.add(parent)
            parent = by_code[parent].parent_code if parent in by_code else None
    return [
        u if u.code in inside else replace(u, headcount=None, in_audience=False)
        for u in units
        if u.code in inside or u.code in ancestors
    ]
