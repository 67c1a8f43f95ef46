"""Read the development rules (rows of `DevelopmentRule`) and do the date arithmetic
with them. Every duration the services check comes from here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import REGULATION, DevelopmentRule

Code = DevelopmentRule.Code
Unit = DevelopmentRule.Unit


@dataclass(frozen=True)
class Rule:
    code: str
    value: int
    unit: str
    source: str

    def after(self, date: datetime.date, times: int = 1) -> datetime.date:
        """`date` plus this duration (`times` over)."""
        n = self.value * times
        if self.unit == Unit.YEARS:
            return date + relativedelta(years=n)
        if self.unit == Unit.MONTHS:
            return date + relativedelta(months=n)
        if self.unit == Unit.DAYS:
            return date + datetime.timedelta(days=n)
        raise ValueError(f"{self.code} is not a duration")

    @property
    def label(self) -> str:
        return f"{self.value} {Unit(self.unit).label}"


class Rules:
    """The current rules, loaded in one query."""

    def __init__(self, rows: dict[str, Rule]) -> None:
        self._rows = rows

    @classmethod
    def load(cls) -> Rules:
        return cls(
            {
                row.code: Rule(row.code, row.value, row.unit, row.source)
                for row in DevelopmentRule.objects.all()
            }
        )

    def __getitem__(self, code: str) -> Rule:
        try:
            return self._rows[code]
        except KeyError:
            raise ValidationError(
                _("The development rule “%(rule)s” is missing; the committee sets it in the admin.")
                % {"rule": Code(code).label},
                code="rule_missing",
            ) from None

    def listed(self) -> list[tuple[str, str, str]]:
        """(rule, value with unit, source) for a page that cites the rules."""
        return [(str(Code(r.code).label), r.label, r.source) for r in self._rows.values()]

    @property
    def source(self) -> str:
        sources = {rule.source for rule in self._rows.values()}
        return REGULATION if REGULATION in sources or not sources else sorted(sources)[0]


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start to end (negative when end is earlier)."""
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def candidate_ready_on(candidacy, rules: Rules) -> datetime.date:
    """The earliest day an activist may be named a development candidate."""
    return rules[Code.ACTIVIST_MIN].after(candidacy.activist_on)


def assessments_needed(candidacy, rules: Rules, on: datetime.date) -> int:
    """Half-yearly assessments an activist needs by `on`: one per full interval."""
    interval = rules[Code.ASSESSMENT_INTERVAL]
    months = months_between(candidacy.activist_on, on)
    step = interval.value * (12 if interval.unit == Unit.YEARS else 1)
    return max(months // step, 0) if step else 0
