"""The dashboard's period in the query string: a month 2026-11, a quarter 2026-Q4 or a
year 2026 (the keys of `meetings.periods.Period`), defaulting to the current month."""

from __future__ import annotations

import datetime
import re

from meetings.periods import MONTH, QUARTER, YEAR, Period, period_containing

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")
EARLIEST_YEAR = 2000


def parse(key: str | None, today: datetime.date) -> Period | None:
    """The period a key names, or None when it is malformed, before 2000 or not yet
    begun."""
    match = _KEY.match((key or "").strip())
    if match is None:
        return None
    year = int(match["year"])
    if year < EARLIEST_YEAR:
        return None
    if match["quarter"]:
        period = period_containing(QUARTER, datetime.date(year, int(match["quarter"]) * 3, 1))
    elif match["month"]:
        period = period_containing(MONTH, datetime.date(year, int(match["month"]), 1))
    else:
        period = period_containing(YEAR, datetime.date(year, 1, 1))
    return period if period.start <= today else None


def current(today: datetime.date) -> Period:
    return period_containing(MONTH, today)


def as_of_month(period: Period, today: datetime.date) -> datetime.date:
    """The month whose state figures stand for the period: its last month, or the
    current month while it is under way."""
    last = period.due.replace(day=1)
    return min(last, today.replace(day=1))


def previous(period: Period) -> Period | None:
    before = period_containing(period.kind, period.start - datetime.timedelta(days=1))
    return before if before.start.year >= EARLIEST_YEAR else None


def following(period: Period, today: datetime.date) -> Period | None:
    after = period_containing(period.kind, period.end)
    return after if after.start <= today else None


def choices(year: int, today: datetime.date) -> list[Period]:
    """The year, its quarters and its months that have begun, for the period picker."""
    periods = [period_containing(YEAR, datetime.date(year, 1, 1))]
    periods += [
        period_containing(QUARTER, datetime.date(year, month, 1)) for month in (1, 4, 7, 10)
    ]
    periods += [period_containing(MONTH, datetime.date(year, month, 1)) for month in range(1, 13)]
    return [period for period in periods if period.start <= today]


def months_in(period: Period) -> list[datetime.date]:
    return [datetime.date(period.start.year, month, 1) for month in period.months]
