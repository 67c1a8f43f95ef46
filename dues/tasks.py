"""Thin Celery tasks: fetch the date, call a service, then send e-mails after commit.

acks_late (settings) hands a task back if the worker dies; the service is keyed by
recipient, reason and year, so the rerun creates nothing twice.
"""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import redeclaration_reminders_send


@shared_task
def send_redeclaration_reminders(month: int = 1) -> int:
    created = redeclaration_reminders_send(today=timezone.localdate(), month=month)
    emails_send_pending()
    return created
