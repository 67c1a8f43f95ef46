"""Thin Celery tasks: call a sweep, then send e-mails after commit.

acks_late (settings) hands a task back if the worker dies; the sweeps claim each
problem with a conditional UPDATE, so the rerun does nothing twice.
"""

from celery import shared_task

from notifications.services import emails_send_pending

from .deadlines import problem_escalations_run, problem_reminders_send


@shared_task
def send_problem_reminders() -> int:
    created = problem_reminders_send()
    emails_send_pending()
    return created


@shared_task
def escalate_overdue_problems() -> int:
    made = problem_escalations_run()
    emails_send_pending()
    return made
