"""Thin Celery tasks: fetch the date, call a service, then send e-mails after commit.

acks_late (settings) hands a task back if the worker dies; the service is keyed by
recipient, reason and assignment, so a rerun creates nothing twice.
"""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import study_due_reminders_send


@shared_task
def send_study_due_reminders(days_before: int = 3) -> int:
    created = study_due_reminders_send(today=timezone.localdate(), days_before=days_before)
    emails_send_pending()
    return created
