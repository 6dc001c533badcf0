from __future__ import annotations

from surveys.organisation import ExistingUnit, UnitKind, check_tree, parse_org_csv
from tests.conftest import ORG_CSV


def lines(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [str(p) for p in problems]


def test_a_good_file_reads_every_unit() -> None:
    rows, problems = parse_org_csv(ORG_CSV)
    assert problems == []
    assert [r.code for r in rows][:3] == ["NFRS", "N-AREA", "S-AREA"]
    watch = next(r for r in rows if r.code == "STN01-RED")
    assert (watch.kind, watch.parent_code, watch.headcount, watch.line) == (
        UnitKind.WATCH,
        "STN01",
        15,
        6,
    )
    assert check_tree(rows, {}) == []


def test_an_excel_file_with_a_byte_order_mark_reads() -> None:
    rows, problems = parse_org_csv("\ufeff" + ORG_CSV)
    assert problems == [] and len(rows) == 8


def test_every_bad_row_is_reported_with_its_line() -> None:
    text = (
        "code,name,kind,parent_code,headcount\n"
        "NFRS,Service,service,,600\n"
        "A1,,area,NFRS,-3\n"
        "A1,Again,area,NFRS,10\n"
        "S1,Station,planet,A1,\n"
        "bad code,Name,station,A1,\n"
        "W1,Watch,watch,NFRS,12\n"
        "S2,Station,station,NOWHERE,5\n"
    )
    rows, problems = parse_org_csv(text)
    problems += check_tree(rows, {})
    assert sorted(lines(problems)) == sorted(
        [
            "line 3, column name: name is empty",
            "line 3, column headcount: '-3' is not a whole number of people (0 or more)",
            "line 4, column code: duplicate code 'A1' (first on line 3)",
            "line 5, column kind: 'planet' is not a unit kind "
            "(service, area, station, watch, department)",
            "line 6, column code: 'bad code' is not a valid code "
            "(1-32 letters, digits, '-' or '_')",
            "line 7, column parent_code: a watch must sit under a station, but 'NFRS' is a service",
            "line 8, column parent_code: unknown parent 'NOWHERE' "
            "(not in this file or the database)",
        ]
    )


def test_a_cycle_is_reported() -> None:
    text = (
        "code,name,kind,parent_code,headcount\n"
        "D1,Department one,department,D2,\n"
        "D2,Department two,department,D1,\n"
    )
    rows, _ = parse_org_csv(text)
    problems = lines(check_tree(rows, {}))
    assert "line 2, column parent_code: units form a cycle: D1 -> D2 -> D1" in problems


def test_new_units_may_hang_off_units_already_in_the_database() -> None:
    existing = {"NFRS": ExistingUnit("NFRS", UnitKind.SERVICE, None)}
    rows, _ = parse_org_csv("code,name,kind,parent_code,headcount\nA,Area,area,NFRS,5\n")
    assert check_tree(rows, existing) == []


def test_changing_a_kind_that_breaks_existing_children_is_reported() -> None:
    existing = {
        "NFRS": ExistingUnit("NFRS", UnitKind.SERVICE, None),
        "STN": ExistingUnit("STN", UnitKind.STATION, "NFRS"),
        "RED": ExistingUnit("RED", UnitKind.WATCH, "STN"),
    }
    rows, _ = parse_org_csv("code,name,kind,parent_code,headcount\nSTN,Now an area,area,NFRS,\n")
    assert lines(check_tree(rows, existing)) == [
        "line 2, column kind: existing unit 'RED' sits under 'STN': "
        "a watch must sit under a station, but 'STN' is an area"
    ]


def test_wrong_columns_are_reported_on_line_one() -> None:
    _, problems = parse_org_csv("code,name,type\nX,Y,Z\n")
    assert lines(problems) == [
        "line 1: missing column(s) kind, parent_code, headcount; unknown column(s) type "
        "(expected: code,name,kind,parent_code,headcount)"
    ]
