"""The rhythm of a pulse survey: periods, opening days and which wave is due.

Pure rules, no I/O. A schedule says "open the staff pulse on day 1 of every quarter, for
14 days". Periods are calendar months, quarters (January, April, July, October) or years,
and days are counted in UK time (Europe/London), whatever the server's clock zone.

A schedule has at most one wave per period. The bot checks every few minutes: a wave is
due once its opening day has come, and is opened then, or late after downtime, as long as
its period's answering window is still open. A window missed entirely is not opened late
into the next period, and a schedule added mid-period starts at the next opening day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


class Every(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# The shortest of each kind of period (February, January to March of a common year, a
# common year): an opening day must exist in every period, and a wave must close before
# the next period's wave opens.
SHORTEST = {Every.MONTH: 28, Every.QUARTER: 90, Every.YEAR: 365}
LABEL_FIELDS = ("survey", "period", "month", "quarter", "year")
DEFAULT_LABEL = "{survey} {period}"


class CadenceError(ValueError):
    """A schedule that cannot work; the message says what to change."""


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK (the server may keep UTC)."""
    return (now or datetime.now(UK)).astimezone(UK).date()


@dataclass(frozen=True)
class Period:
    every: Every
    start: date  # first day
    end: date  # last day

    @property
    def key(self) -> str:
        """Stable and unique per schedule: 2026-11, 2026-Q4, 2026."""
        if self.every == Every.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.every == Every.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def following(self) -> Period:
        return period_of(self.every, self.end + timedelta(days=1))


def period_of(every: Every, day: date) -> Period:
    """The period of this kind that contains the day."""
    if every == Every.MONTH:
        start = day.replace(day=1)
        months = 1
    elif every == Every.QUARTER:
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    else:
        start = date(day.year, 1, 1)
        months = 12
    month = start.month - 1 + months
    end = date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return Period(every, start, end)


@dataclass(frozen=True)
class Cadence:
    """When a schedule's waves open and close."""

    every: Every
    open_on: int  # day of the period, 1 = its first day
    days: int  # how many days each wave takes answers, the opening day included
    label_format: str = DEFAULT_LABEL

    def __post_init__(self) -> None:
        check(self)

    def opens(self, period: Period) -> date:
        return period.start + timedelta(days=self.open_on - 1)

    def closes(self, period: Period) -> date:
        """The last day for answers."""
        return self.opens(period) + timedelta(days=self.days - 1)

    def label(self, survey: str, period: Period) -> str:
        return self.label_format.format(
            survey=survey,
            period=period.key,
            month=period.start.strftime("%B"),
            quarter=f"Q{(period.start.month - 1) // 3 + 1}",
            year=period.start.year,
        )


def check(cadence: Cadence) -> None:
    last = SHORTEST[cadence.every]
    if not 1 <= cadence.open_on <= last:
        raise CadenceError(
            f"--open-on {cadence.open_on}: the opening day must be from 1 to {last} for "
            f"every {cadence.every.value} (a day that exists in every {cadence.every.value})"
        )
    if cadence.days < 1:
        raise CadenceError(f"--days {cadence.days}: a wave must take answers for at least 1 day")
    if cadence.days > last:
        raise CadenceError(
            f"--days {cadence.days}: a wave would still be open when the next "
            f"{cadence.every.value}'s opens; at most {last} days for every {cadence.every.value}"
        )
    period = period_of(cadence.every, date(2027, 1, 1))
    try:
        cadence.label(survey="s", period=period)
    except (KeyError, IndexError, ValueError) as error:
        fields = ", ".join("{" + f + "}" for f in LABEL_FIELDS)
        raise CadenceError(
            f"--label-format {cadence.label_format!r}: {error} is not a field; use {fields}"
        ) from None


class Due(StrEnum):
    NOT_YET = "not_yet"  # the opening day has not come
    OPEN = "open"  # open it now
    OPENED = "opened"  # this period's wave exists already
    MISSED = "missed"  # its window passed while nothing was running
    BEFORE = "before"  # its opening day came before the schedule was added


def due(cadence: Cadence, today: date, opened: set[str], since: date) -> tuple[Due, Period]:
    """What to do today for the period containing today, given the periods that have a
    wave and the day the schedule was added (a schedule added mid-period starts with the
    next opening day, not with a wave that would close in a few days)."""
    period = period_of(cadence.every, today)
    if period.key in opened:
        return Due.OPENED, period
    if today < cadence.opens(period):
        return Due.NOT_YET, period
    if cadence.opens(period) < since:
        return Due.BEFORE, period
    if today > cadence.closes(period):
        return Due.MISSED, period
    return Due.OPEN, period


def next_opening(
    cadence: Cadence, today: date, opened: set[str], since: date
) -> tuple[date, Period]:
    """The next day a wave of this schedule opens (today, if one is due now)."""
    state, period = due(cadence, today, opened, since)
    if state == Due.OPEN:
        return today, period
    if state == Due.NOT_YET:
        return cadence.opens(period), period
    following = period.following()
    return cadence.opens(following), following


HALFWAY = "halfway"
DEFAULT_REMINDERS = "halfway,2"


def parse_reminders(rule: str) -> tuple[str | int, ...]:
    """'halfway,2' -> ('halfway', 2): halfway through a wave, and 2 days before it closes.
    An empty rule means no reminders."""
    parts: list[str | int] = []
    for part in (p.strip() for p in rule.split(",")):
        if not part:
            continue
        if part == HALFWAY:
            parts.append(HALFWAY)
        elif part.isdigit():
            parts.append(int(part))
        else:
            raise CadenceError(
                f"{part!r}: each reminder is 'halfway' or a number of days before the wave "
                "closes, separated by commas (for example 'halfway,2')"
            )
    return tuple(parts)


def reminder_days(opens_on: date, closes_on: date, rule: tuple[str | int, ...]) -> list[date]:
    """The days a wave's reminders go out, in order: after its opening day, no later than
    its last day, one per day at most."""
    days = set()
    for part in rule:
        if part == HALFWAY:
            day = opens_on + (closes_on - opens_on) / 2
        else:
            day = closes_on - timedelta(days=int(part))
        if opens_on < day <= closes_on:
            days.add(day)
    return sorted(days)
