"""Thin Celery tasks: call the summary service."""

from celery import shared_task

from . import summary


@shared_task
def refresh_overview_figures() -> int:
    """Hourly (beat): the overview figures of everyone for the current year."""
    return summary.refresh_all()
