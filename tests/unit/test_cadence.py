"""A pulse survey's rhythm (surveys/cadence.py): periods, opening days, catching up."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from surveys.cadence import (
    Cadence,
    CadenceError,
    Due,
    Every,
    due,
    next_opening,
    parse_reminders,
    period_of,
    reminder_days,
    uk_today,
)

QUARTERLY = Cadence(Every.QUARTER, open_on=1, days=14, label_format="Pulse {quarter} {year}")
ADDED = date(2026, 11, 27)  # the day the schedule was added


def test_periods_are_calendar_months_quarters_and_years() -> None:
    quarter = period_of(Every.QUARTER, date(2026, 11, 27))
    assert (quarter.start, quarter.end, quarter.key) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026-Q4",
    )
    assert quarter.following().key == "2027-Q1"
    february = period_of(Every.MONTH, date(2028, 2, 10))
    assert (february.end, february.key) == (date(2028, 2, 29), "2028-02")
    assert period_of(Every.YEAR, date(2026, 6, 1)).key == "2026"


def test_a_wave_is_due_from_its_opening_day_to_its_last_day_once_per_period() -> None:
    # Added on 27 November: the fourth quarter's window (1-14 October) came before it.
    assert due(QUARTERLY, date(2026, 12, 31), set(), ADDED)[0] == Due.BEFORE
    state, period = due(QUARTERLY, date(2027, 1, 1), set(), ADDED)
    assert state == Due.OPEN and period.key == "2027-Q1"
    assert QUARTERLY.closes(period) == date(2027, 1, 14)
    assert QUARTERLY.label("staff_pulse", period) == "Pulse Q1 2027"
    # After downtime, still within the window: it opens late, with the planned close.
    assert due(QUARTERLY, date(2027, 1, 14), set(), ADDED)[0] == Due.OPEN
    # Never two waves for one period.
    assert due(QUARTERLY, date(2027, 1, 2), {"2027-Q1"}, ADDED)[0] == Due.OPENED
    # A window missed entirely is not opened late.
    assert due(QUARTERLY, date(2027, 1, 15), set(), ADDED)[0] == Due.MISSED


def test_the_next_opening_is_named_for_each_state() -> None:
    assert next_opening(QUARTERLY, date(2026, 11, 27), set(), ADDED) == (
        date(2027, 1, 1),
        period_of(Every.QUARTER, date(2027, 1, 1)),
    )
    monthly = Cadence(Every.MONTH, open_on=10, days=7)
    added = date(2026, 11, 1)
    assert next_opening(monthly, date(2026, 11, 3), set(), added)[0] == date(2026, 11, 10)
    assert next_opening(monthly, date(2026, 11, 12), set(), added)[0] == date(2026, 11, 12)
    assert next_opening(monthly, date(2026, 11, 12), {"2026-11"}, added)[0] == date(2026, 12, 10)
    # Added after this month's opening day: the first wave is next month's.
    assert next_opening(monthly, date(2026, 11, 12), set(), date(2026, 11, 11)) == (
        date(2026, 12, 10),
        period_of(Every.MONTH, date(2026, 12, 1)),
    )
    # Added on the opening day itself: that day's wave opens.
    assert next_opening(monthly, date(2026, 11, 10), set(), date(2026, 11, 10))[0] == date(
        2026, 11, 10
    )


def test_days_are_counted_in_uk_time() -> None:
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    assert uk_today(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert uk_today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("every", "open_on", "days", "label", "message"),
    [
        (Every.MONTH, 31, 7, "{survey}", "from 1 to 28"),
        (Every.QUARTER, 0, 7, "{survey}", "from 1 to 90"),
        (Every.MONTH, 1, 0, "{survey}", "at least 1 day"),
        (Every.MONTH, 1, 29, "{survey}", "at most 28 days"),
        (Every.QUARTER, 1, 14, "Pulse {season}", "'season' is not a field"),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_what_to_change(
    every: Every, open_on: int, days: int, label: str, message: str
) -> None:
    with pytest.raises(CadenceError, match=message):
        Cadence(every, open_on=open_on, days=days, label_format=label)


def test_reminders_go_halfway_and_days_before_close_never_on_the_opening_day_or_after() -> None:
    rule = parse_reminders("halfway,2")
    assert rule == ("halfway", 2)
    assert reminder_days(date(2027, 1, 1), date(2027, 1, 14), rule) == [
        date(2027, 1, 7),
        date(2027, 1, 12),
    ]
    # A short wave: halfway and "2 days before" fall on the same day, or before opening.
    assert reminder_days(date(2027, 1, 1), date(2027, 1, 3), rule) == [date(2027, 1, 2)]
    assert reminder_days(date(2027, 1, 1), date(2027, 1, 1), rule) == []
    assert reminder_days(date(2027, 1, 1), date(2027, 1, 14), parse_reminders("")) == []


def test_a_reminder_rule_that_makes_no_sense_is_refused() -> None:
    with pytest.raises(CadenceError, match="'weekly': each reminder is 'halfway' or a number"):
        parse_reminders("halfway,weekly")
