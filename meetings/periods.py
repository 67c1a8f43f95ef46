"""Calendar periods (month, quarter, year) that the party-life rules count in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date  # first day
    end: datetime.date  # first day of the next period (exclusive)

    @property
    def due(self) -> datetime.date:
        """The last day of the period: the date by which its meetings are due."""
        return self.end - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        """A stable key: 2026-11, 2026-Q4 or 2026."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("%(year)d Q%(quarter)d") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        return str(self.start.year)

    @property
    def months(self) -> range:
        """The month numbers (1-12) the period spans."""
        return range(self.start.month, self.due.month + 1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day < self.end


def _first_of_next_month(year: int, month: int) -> datetime.date:
    return datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The month, quarter or year that `day` falls in."""
    if kind == MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _first_of_next_month(day.year, day.month))
    if kind == QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = datetime.date(day.year, first_month, 1)
        return Period(kind, start, _first_of_next_month(day.year, first_month + 2))
    if kind == YEAR:
        return Period(kind, datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1))
    raise ValueError(kind)
