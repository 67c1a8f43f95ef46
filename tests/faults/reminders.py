"""The beat's jobs and what they leave behind, for the tests that run them under faults.

`outcome()` is what the reminder jobs have written: the notifications by their unique key
(recipient, reason, period), the escalations by (problem, level) and the red flags by
month. `expected_after_one_run()` runs every beat job once, in this process, inside a
transaction that is rolled back (with e-mail sending switched off: e-mails are sent after
commit), and returns the outcome one clean run would give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from unittest import mock

from django.db import transaction
from django_celery_beat.models import PeriodicTask

from assessments.models import RedFlag
from liaison.models import Escalation
from notifications.models import Notification
from supplychain_party.celery import app


@dataclass(frozen=True)
class Outcome:
    notifications: frozenset[tuple[int, str, str]]
    escalations: frozenset[tuple[int, int]]
    red_flags: frozenset

    def __sub__(self, other: Outcome) -> Outcome:
        return Outcome(
            self.notifications - other.notifications,
            self.escalations - other.escalations,
            self.red_flags - other.red_flags,
        )

    def sizes(self) -> dict[str, int]:
        return {
            "notifications": len(self.notifications),
            "escalations": len(self.escalations),
            "red_flags": len(self.red_flags),
        }


def outcome() -> Outcome:
    return Outcome(
        frozenset(Notification.objects.values_list("recipient_id", "reason", "period_key")),
        frozenset(Escalation.objects.values_list("problem_id", "level")),
        frozenset(RedFlag.objects.values_list("month", flat=True)),
    )


def beat_tasks() -> list[PeriodicTask]:
    """The portal's periodic tasks, as the beat runs them (Celery's own excluded)."""
    return list(
        PeriodicTask.objects.filter(enabled=True)
        .exclude(task__startswith="celery.")
        .order_by("name")
    )


def kwargs_of(task: PeriodicTask) -> dict:
    return json.loads(task.kwargs or "{}")


def run_in_process(tasks: list[PeriodicTask]) -> None:
    app.loader.import_default_modules()
    for task in tasks:
        result = app.tasks[task.task].apply(kwargs=kwargs_of(task))
        if not result.successful():
            raise AssertionError(f"{task.task} failed:\n{result.traceback}")


def expected_after_one_run() -> Outcome:
    """What one run of every beat job adds, found without keeping anything."""
    before = outcome()
    with (
        transaction.atomic(),
        mock.patch("notifications.services.notification_email_send", return_value=False),
    ):
        run_in_process(beat_tasks())
        added = outcome() - before
        transaction.set_rollback(True)
    return added
