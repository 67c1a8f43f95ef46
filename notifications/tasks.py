"""Thin Celery tasks: each calls a service."""

from celery import shared_task

from .services import emails_send_pending


@shared_task
def send_pending_emails() -> int:
    """The outbox sweep: e-mail every notification not e-mailed yet."""
    return emails_send_pending()
