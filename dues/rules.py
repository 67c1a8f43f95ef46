"""Working out a month's dues from the declared base and the rules in force.

The rules are data (`BracketSchedule` + `Bracket`, `FixedRate`); `Rules.load()` reads
them all in three queries, and everything else here is plain Python, so a ledger of any
size costs the same number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import FIXED_CATEGORIES, Bracket, BracketSchedule, Category, FixedRate

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Due:
    """A month's dues for one member and how they were worked out."""

    amount: Decimal
    base: Decimal | None  # the income the rate applies to; None for a fixed amount
    rate: Decimal | None  # percent; None for a fixed amount
    fixed: bool
    source: str

    @property
    def rate_label(self) -> str:
        if self.fixed:
            return _("%(amount)s yuan a month") % {"amount": self.amount}
        return f"{self.rate.normalize():f}%"


class Rules:
    """Every schedule and fixed amount, newest first per category."""

    def __init__(self, schedules: list[BracketSchedule], fixed: list[FixedRate]):
        self.schedules: dict[str, list[BracketSchedule]] = {}
        for schedule in sorted(schedules, key=lambda s: s.effective_from, reverse=True):
            self.schedules.setdefault(schedule.category, []).append(schedule)
        self.fixed: dict[str, list[FixedRate]] = {}
        for rate in sorted(fixed, key=lambda r: r.effective_from, reverse=True):
            self.fixed.setdefault(rate.category, []).append(rate)

    @classmethod
    def load(cls) -> Rules:
        """Three queries: schedules, their brackets, fixed amounts."""
        brackets = Prefetch(
            "brackets", queryset=Bracket.objects.order_by("schedule", "upper_bound")
        )  # PostgreSQL sorts NULL (the top row) last
        return cls(
            list(BracketSchedule.objects.prefetch_related(brackets)), list(FixedRate.objects.all())
        )

    def schedule_for(self, category: str, month: datetime.date) -> BracketSchedule | None:
        """The schedule in force for `month`: the latest in force on its first day."""
        for schedule in self.schedules.get(category, ()):
            if schedule.effective_from <= month:
                return schedule
        return None

    def fixed_for(self, category: str, month: datetime.date) -> FixedRate | None:
        for rate in self.fixed.get(category, ()):
            if rate.effective_from <= month:
                return rate
        return None

    def due(self, *, category: str, income: Decimal, month: datetime.date) -> Due | None:
        """The dues for `month` of a member of `category` declaring `income` a month.

        The whole income is multiplied by the rate of the bracket it falls in (the
        regulations' rule; not progressive, unlike income tax): a bracket's upper
        bound is inclusive, so 3,000.00 pays 0.5% and 3,000.01 pays 1%. The amount is
        rounded to the fen (0.01 yuan), half up: 2,999.99 × 0.5% = 14.99995 -> 15.00.

        None when no rule is in force for the month (the committee has to add one).
        """
        month = month.replace(day=1)
        if category in FIXED_CATEGORIES:
            rate = self.fixed_for(category, month)
            if rate is None:
                return None
            return Due(amount=rate.amount, base=None, rate=None, fixed=True, source=rate.source)
        schedule = self.schedule_for(category, month)
        if schedule is None:
            return None
        for bracket in schedule.brackets.all():
            if bracket.upper_bound is None or income <= bracket.upper_bound:
                amount = (income * bracket.rate / 100).quantize(FEN, rounding=ROUND_HALF_UP)
                return Due(
                    amount=amount,
                    base=income,
                    rate=bracket.rate,
                    fixed=False,
                    source=schedule.source,
                )
        return None  # a schedule without a top bracket: the admin refuses it


def category_label(category: str) -> str:
    return str(Category(category).label)
