"""Thin Celery tasks: call the service with today's date, then send e-mails after commit.

The service is keyed by (recipient, reason, term and window), so a rerun, a late run or
two runs at once create each reminder once."""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import term_reminders_send


@shared_task
def send_term_reminders() -> int:
    created = term_reminders_send(today=timezone.localdate())
    emails_send_pending()
    return created
