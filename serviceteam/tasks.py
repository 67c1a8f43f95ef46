"""Thin Celery tasks: call the reminder sweep, then send e-mails after it commits.

The sweep writes each reminder keyed by (recipient, reason, week), so a rerun, a
retried task or two workers at once send nothing twice."""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import status_reminders_send


@shared_task
def send_weekly_status_reminders(weekday: int = 3) -> int:
    created = status_reminders_send(today=timezone.localdate(), weekday=weekday)
    emails_send_pending()
    return created
