"""Recompute the maintained summaries now, as the hourly beat tasks would."""

from django.core.management.base import BaseCommand

from meetings import summary as compliance_summary
from members import headcounts
from overview import summary as overview_summary


class Command(BaseCommand):
    help = (
        "Recompute the headcounts, the compliance summary and the overview's monthly "
        "figures for the current year (and the last one in January), or for --year."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="one calendar year instead")

    def handle(self, *args, year: int | None = None, **options) -> None:
        people = headcounts.recount_all()
        if year is None:
            compliance = compliance_summary.refresh_all()
            figures = overview_summary.refresh_all()
        else:
            compliance = compliance_summary.refresh(year=year)
            figures = overview_summary.refresh(year)
        self.stdout.write(
            f"headcounts: {people} rows; compliance summary: {compliance} rows; "
            f"overview figures: {figures} rows written"
        )
