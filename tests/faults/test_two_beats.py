"""Two beats at once (a second `celery beat` left running by mistake, or two hosts that
both run one): every reminder, escalation and e-mail goes out once.

Two real `celery beat` processes with the DatabaseScheduler read the same schedule rows
(every portal job switched to a one-second interval, so both fire each job at once and
more than once), and two real prefork workers, two processes each, run what they send.
The demo's data gives the jobs real work, and every login an e-mail address.

What one clean run of the jobs would write is found first, in this process, inside a
transaction rolled back: the notifications by (recipient, reason, period), escalations by
(problem, level) and red flags by month. After the beats and workers are done the database
holds exactly that, and every notification that wants an e-mail got one, once.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter

import pytest
import redis
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from notifications.models import Notification
from tests.faults.conftest import report
from tests.faults.mailbox import read_mailbox
from tests.faults.processes import (
    RECEIVED,
    SENT,
    SUCCEEDED,
    celery,
    celery_env,
    count,
    ids,
    stop,
    wait_for,
)
from tests.faults.reminders import beat_tasks, expected_after_one_run, outcome

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker]

FAILED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] raised")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_send_every_reminder_and_e_mail_once(
    committed_demo, with_emails, tmp_path
):
    tasks = beat_tasks()
    names = {task.task for task in tasks}
    before = outcome()
    expected = expected_after_one_run()
    assert expected.notifications, "the demo should give the jobs something to send"

    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.filter(pk__in=[task.pk for task in tasks]).update(
        interval=every_second, crontab=None, last_run_at=None
    )
    PeriodicTasks.update_changed()

    mailbox = tmp_path / "mail.jsonl"
    queue = f"beats-{uuid.uuid4().hex[:8]}"
    env = celery_env(mailbox, FAULTS_QUEUE=queue)
    worker_logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    beat_logs = [tmp_path / f"beat-{n}.log" for n in (1, 2)]
    processes = [
        celery(
            "worker",
            "-P",
            "prefork",
            "-c",
            "2",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"faults-{n}@%h",
            env=env,
            log=log,
        )
        for n, log in enumerate(worker_logs, 1)
    ]
    try:
        beats = [
            celery(
                "beat",
                "-S",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval",
                "1",
                env=env,
                log=log,
            )
            for log in beat_logs
        ]
        processes += beats
        wait_for(
            lambda: all(set(count(SENT, log)) >= names for log in beat_logs),
            150,
            "both beats to send every job",
        )
        time.sleep(2)  # another tick or two: a send cut short by the stop below is not alone
        for beat in beats:
            # A beat stopped in the middle of a send may swallow SIGTERM: then SIGKILL.
            stop(beat, timeout=5)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)

        def drained() -> bool:
            """The queue is empty and the workers have finished all they took."""
            finished = len(ids(SUCCEEDED, *worker_logs)) + len(ids(FAILED, *worker_logs))
            return broker.llen(queue) == 0 and len(ids(RECEIVED, *worker_logs)) == finished

        try:
            wait_for(drained, 150, "the workers to run every job the beats sent")
            time.sleep(1)
            wait_for(drained, 30, "the workers to run every job the beats sent")
        finally:
            broker.close()
    finally:
        for process in processes:
            stop(process)

    succeeded = count(SUCCEEDED, *worker_logs)
    sent = count(SENT, *beat_logs)
    assert count(FAILED, *worker_logs) == Counter()
    assert succeeded == count(RECEIVED, *worker_logs)
    assert all(succeeded[name] >= 2 for name in names), succeeded  # each job ran twice or more

    added = outcome() - before
    assert added.notifications == expected.notifications
    assert added.escalations == expected.escalations
    assert added.red_flags == expected.red_flags
    assert Notification.objects.count() == len(before.notifications | added.notifications)

    mails = read_mailbox(mailbox)
    wanted = Notification.objects.filter(send_email=True).exclude(recipient__email="")
    assert Notification.objects.email_pending().count() == 0
    assert len(mails) == wanted.count() == wanted.filter(emailed_at__isnull=False).count()
    copies = Counter((tuple(mail["to"]), mail["subject"], mail["body"]) for mail in mails)
    assert max(copies.values()) == 1

    # A third run (the beat's next tick) finds nothing left to do.
    assert expected_after_one_run().sizes() == {
        "notifications": 0,
        "escalations": 0,
        "red_flags": 0,
    }

    report(
        "two_beats",
        jobs=len(names),
        jobs_sent=sum(sent.values()),
        jobs_run=sum(succeeded.values()),
        runs_per_job=dict(sorted(succeeded.items())),
        notifications_expected=len(expected.notifications),
        notifications_added=len(added.notifications),
        escalations_added=len(added.escalations),
        e_mails_sent=len(mails),
        e_mail_senders=len({mail["pid"] for mail in mails}),
        duplicates=0,
    )
