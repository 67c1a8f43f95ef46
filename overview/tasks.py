"""Thin Celery tasks: call the summary service."""

from celery import shared_task

from members import headcounts

from . import summary


@shared_task
def refresh_overview_figures() -> int:
    """Hourly (beat): the overview figures of everyone for the current year, and the
    headcounts recounted (kept at every save; this catches any bulk writer)."""
    headcounts.recount_all()
    return summary.refresh_all()
