"""Thin Celery tasks: fetch the date, call a service, then send e-mails after commit.

acks_late (settings) hands a task back if the worker dies; the services are keyed
by recipient, reason and period, so the rerun creates nothing twice.
"""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from . import summary
from .reminders import compliance_reminders_send, monthly_study_reminders_send


@shared_task
def send_monthly_study_reminders(day: int = 1) -> int:
    created = monthly_study_reminders_send(today=timezone.localdate(), day=day)
    emails_send_pending()
    return created


@shared_task
def send_compliance_reminders(days_before: int = 7) -> int:
    created = compliance_reminders_send(today=timezone.localdate(), days_before=days_before)
    emails_send_pending()
    return created


@shared_task
def refresh_compliance_summary() -> int:
    """Hourly, and after a rule changes: the summary of everyone for the current year."""
    return summary.refresh_all()
