"""Thin Celery tasks: fetch the date, call the reminder service, send e-mails after
commit. Reminders are keyed by (recipient, reason, candidacy:step:due), so a rerun
(acks_late hands a task back if the worker dies) creates nothing twice."""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import due_reminders_send


@shared_task
def send_development_reminders() -> int:
    created = due_reminders_send(today=timezone.localdate())
    emails_send_pending()
    return created
