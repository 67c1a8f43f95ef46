"""Thin Celery tasks: fetch by id, call a service, e-mail after commit.

acks_late (settings) hands a task back if the worker dies; the fan-out inserts with
ON CONFLICT DO NOTHING on the notifications' unique key, so a rerun adds nothing.
"""

from celery import shared_task

from .services import notice_emails_send, notice_fan_out, notices_deliver_pending


@shared_task
def fan_out_notice(notice_id: int) -> int:
    """Put a published notice in the bell of each addressee; e-mail important ones."""
    created = notice_fan_out(notice_id=notice_id)
    notice_emails_send(notice_id=notice_id)
    return created


@shared_task
def deliver_pending_notices() -> int:
    """The sweep: fan out published notices whose own fan-out never ran."""
    return notices_deliver_pending()
