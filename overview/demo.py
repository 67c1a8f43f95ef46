"""The overview's part of the demo (called at the end of `members.demo.load()`): no
rows of its own, only the figures of everything loaded before it, computed for every
year the demo covers, so that the dashboard shows them at once instead of after the
first hourly run. Recomputing is idempotent, so a second load changes nothing."""

from __future__ import annotations

from members.demo.report import Report
from members.demo.tree import START

from . import summary
from .models import MonthlyFigures


def load(report: Report) -> None:
    summary.refresh_years(START)
    report.totals["overview monthly figures"] = MonthlyFigures.objects.count()
