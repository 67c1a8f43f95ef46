"""Thin Celery tasks: fetch the date, call a service, then send e-mails after commit."""

from celery import shared_task
from django.utils import timezone

from notifications.services import emails_send_pending

from .reminders import pledge_review_reminders_send


@shared_task
def send_pledge_review_reminders(waiting_days: int = 3) -> int:
    created = pledge_review_reminders_send(today=timezone.localdate(), waiting_days=waiting_days)
    emails_send_pending()
    return created
