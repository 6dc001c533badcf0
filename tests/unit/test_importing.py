from __future__ import annotations

from datetime import date

import pytest

from surveys.importing import ResponseImportError, parse_responses_csv
from surveys.model import Survey

HEADER = (
    "unit,date,values_lived,treated_fairly,dignity_respect,confident_to_report,"
    "experienced_bhd,reported_bhd,leaders_role_model,progression_fair,wellbeing_support,"
    "change_explained,enps,comment,sex,ethnicity,long_term_condition,condition_impact"
)
GOOD = "RED,2026-11-02,agree,agree,strongly_agree,neutral,yes,no,agree,disagree,agree,agree,9,Fine,female,black_african,yes,a_lot"
UNITS = {"RED", "WHITE"}
START, END = date(2026, 11, 1), date(2026, 11, 30)


def parse(text: str, staff_pulse: Survey, monitoring: Survey):  # type: ignore[no-untyped-def]
    return parse_responses_csv(text, staff_pulse, monitoring, UNITS, START, END)


def problems(text: str, staff_pulse: Survey, monitoring: Survey) -> list[str]:
    with pytest.raises(ResponseImportError) as caught:
        parse(text, staff_pulse, monitoring)
    return [str(p) for p in caught.value.problems]


def test_a_good_row_becomes_answers_and_an_equality_snapshot(
    staff_pulse: Survey, monitoring: Survey
) -> None:
    [row] = parse(f"{HEADER}\n{GOOD}\n", staff_pulse, monitoring)
    assert row.unit_code == "RED" and row.submitted_on == date(2026, 11, 2)
    assert row.answers["enps"] == 9
    assert row.answers["reported_bhd"] == "no"
    assert row.answers["comment"] == "Fine"
    assert row.snapshot["ethnic_group"] == "black"
    assert row.snapshot["disability"] == "disabled"
    assert row.snapshot["age_band"] is None


def test_each_problem_names_line_column_value_and_reason(
    staff_pulse: Survey, monitoring: Survey
) -> None:
    bad = (
        "BLUE,2026-02-30,agreee,,agree,agree,no,yes,agree,agree,agree,agree,11,,male,"
        "martian,no,a_lot"
    )
    found = problems(f"{HEADER}\n{GOOD}\n{bad}\n", staff_pulse, monitoring)
    assert found == [
        "line 3, column unit, value 'BLUE': unknown unit code, or not in this wave's audience",
        "line 3, column date, value '2026-02-30': not a date in the form YYYY-MM-DD",
        "line 3, column values_lived, value 'agreee': 'agreee' is not one of the options "
        "(strongly_disagree, disagree, neutral, agree, strongly_agree).",
        "line 3, column treated_fairly: an answer is required",
        "line 3, column enps, value '11': 11 is outside the scale; use a number from 0 to 10.",
        "line 3, column reported_bhd, value 'yes': should be empty: the question was not asked "
        "(it is asked only when experienced_bhd is yes)",
        "line 3, column ethnicity, value 'martian': 'martian' is not one of the options "
        "(white_british, white_irish, white_gypsy_irish_traveller, white_roma, white_other, "
        "mixed_white_black_caribbean, mixed_white_black_african, mixed_white_asian, "
        "mixed_other, asian_indian, asian_pakistani, asian_bangladeshi, asian_chinese, "
        "asian_other, black_caribbean, black_african, black_other, other_arab, other_any, "
        "prefer_not_to_say).",
        "line 3, column condition_impact, value 'a_lot': should be empty: the question was "
        "not asked (it is asked only when long_term_condition is yes)",
    ]


def test_dates_outside_the_wave_are_refused(staff_pulse: Survey, monitoring: Survey) -> None:
    row = GOOD.replace("2026-11-02", "2026-12-01")
    assert problems(f"{HEADER}\n{row}\n", staff_pulse, monitoring) == [
        "line 2, column date, value '2026-12-01': outside the wave (2026-11-01 to 2026-11-30)"
    ]


def test_unknown_and_missing_columns_are_reported_on_line_one(
    staff_pulse: Survey, monitoring: Survey
) -> None:
    found = problems("unit,shoe_size,values_lived\nRED,9,agree\n", staff_pulse, monitoring)
    assert "line 1, column date: required column is missing" in found
    assert (
        "line 1, column shoe_size: unknown column: not a question of 'staff_pulse' "
        "or 'equality_monitoring'"
    ) in found
    assert "line 1, column treated_fairly: column for a required question is missing" in found


def test_prefer_not_to_say_is_kept_as_its_own_answer(
    staff_pulse: Survey, monitoring: Survey
) -> None:
    row = GOOD.replace("female,black_african", "prefer_not_to_say,prefer_not_to_say")
    [parsed] = parse(f"{HEADER}\n{row}\n", staff_pulse, monitoring)
    assert parsed.snapshot["sex"] == "prefer_not_to_say"
    assert parsed.snapshot["ethnic_group"] == "prefer_not_to_say"


def test_an_empty_file_is_refused(staff_pulse: Survey, monitoring: Survey) -> None:
    assert problems(f"{HEADER}\n", staff_pulse, monitoring) == ["line 1: the file has no responses"]
