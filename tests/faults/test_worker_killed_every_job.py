"""Workers killed in the middle of every beat job: nothing lost, nothing sent twice, and
Celery itself hands the killed jobs back (tests/test_worker_killed.py covers one job,
rerun by hand; this covers all of them, redelivered by the broker).

The demo gives the jobs work and every login an e-mail address. The test holds a lock on
the notifications table (reads go on, inserts and the e-mail claim's UPDATE wait), queues
every beat job once, and starts a prefork worker with a child per job: each job runs
until it reaches its first notification write and waits there. Then the whole worker,
children included, is killed with SIGKILL, as when its machine dies. Their transactions
die with them: nothing is committed, nothing e-mailed.

Because tasks are acknowledged late (CELERY_TASK_ACKS_LATE), Redis still holds each
killed job as unacknowledged; a new worker gets them back once the broker's visibility
timeout has passed (an hour in production, one second here) and runs them. The database
then holds exactly what one clean run gives, and each e-mail went out once.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter

import psycopg2
import pytest
from django.db import connection

from notifications.models import Notification
from supplychain_party.celery import app
from tests.faults.conftest import report
from tests.faults.mailbox import read_mailbox
from tests.faults.processes import (
    RECEIVED,
    SUCCEEDED,
    celery,
    celery_env,
    ids,
    kill_group,
    stop,
    wait_for,
)
from tests.faults.reminders import beat_tasks, expected_after_one_run, kwargs_of, outcome

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker]

VISIBILITY_TIMEOUT = 2.0


def dsn() -> dict:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_killed_mid_job_lose_and_duplicate_nothing(committed_demo, with_emails, tmp_path):
    tasks = beat_tasks()
    before = outcome()
    expected = expected_after_one_run()
    assert expected.notifications
    queue = f"killed-{uuid.uuid4().hex[:8]}"
    mailbox = tmp_path / "mail.jsonl"
    killed_log, recovery_log = tmp_path / "killed.log", tmp_path / "recovery.log"

    locker = psycopg2.connect(**dsn())
    watcher = psycopg2.connect(**dsn())
    watcher.autocommit = True
    locker_pid = locker.get_backend_pid()

    def backends(where: str) -> int:
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "  # noqa: S608
                f"AND pid NOT IN (pg_backend_pid(), %s) AND {where}",
                [connection.settings_dict["NAME"], locker_pid],
            )
            return cursor.fetchone()[0]

    worker = recovery = None
    try:
        with locker.cursor() as cursor:  # inserts and updates wait; reads go on
            cursor.execute("LOCK TABLE notifications_notification IN SHARE ROW EXCLUSIVE MODE")
        sent = [app.send_task(task.task, kwargs=kwargs_of(task), queue=queue).id for task in tasks]
        worker = celery(
            "worker",
            "-P",
            "prefork",
            "-c",
            str(len(tasks)),
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            env=celery_env(mailbox),
            log=killed_log,
        )

        def every_job_waits_or_is_done() -> bool:
            received = ids(RECEIVED, killed_log)
            running = set(received) - set(ids(SUCCEEDED, killed_log))
            return len(received) == len(sent) and backends("wait_event_type = 'Lock'") == len(
                running
            )

        wait_for(every_job_waits_or_is_done, 120, "every job to run or wait on the lock")
        time.sleep(0.5)  # the same picture a moment later: nobody was between two steps
        assert every_job_waits_or_is_done()
        killed = sorted(set(ids(RECEIVED, killed_log)) - set(ids(SUCCEEDED, killed_log)))
        kill_group(worker)
        killed_at = time.monotonic()
        # The lock is held a little longer than PostgreSQL takes to notice the dead
        # clients (client_connection_check_interval, tests/faults/settings.py): their
        # waiting statements are cancelled, not completed for them once it is released.
        time.sleep(1.5)
    finally:
        locker.rollback()
        locker.close()
        if worker is not None and worker.poll() is None:
            kill_group(worker)

    # The killed backends notice their clients are gone once the lock is released, and
    # roll back.
    wait_for(lambda: backends("state <> 'idle'") == 0, 60, "the killed sessions to end")
    assert outcome() == before, "a killed job committed something"
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()  # no claim
    assert read_mailbox(mailbox) == []
    assert len(killed) >= len(tasks) // 2, killed

    try:
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
        recovery = celery(
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            env=celery_env(mailbox, FAULTS_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)),
            log=recovery_log,
        )
        wait_for(
            lambda: set(killed) <= set(ids(SUCCEEDED, recovery_log)),
            120,
            "the broker to hand the killed jobs back and a worker to run them",
        )
        recovered_at = time.monotonic()
    finally:
        watcher.close()
        if recovery is not None:
            stop(recovery)

    added = outcome() - before
    assert added == expected
    mails = read_mailbox(mailbox)
    wanted = Notification.objects.filter(send_email=True).exclude(recipient__email="")
    assert Notification.objects.email_pending().count() == 0
    assert len(mails) == wanted.count()
    copies = Counter((tuple(mail["to"]), mail["subject"], mail["body"]) for mail in mails)
    assert max(copies.values()) == 1
    assert expected_after_one_run().sizes() == {
        "notifications": 0,
        "escalations": 0,
        "red_flags": 0,
    }

    reruns = Counter(ids(SUCCEEDED, recovery_log))
    report(
        "worker_killed_every_job",
        jobs=len(tasks),
        killed_mid_job=len(killed),
        finished_before_the_kill=len(tasks) - len(killed),
        redelivered_and_run=sum(1 for task_id in killed if reruns[task_id]),
        redelivered_twice=sum(1 for task_id in killed if reruns[task_id] > 1),
        seconds_from_kill_to_all_done=round(recovered_at - killed_at, 1),
        notifications_added=len(added.notifications),
        escalations_added=len(added.escalations),
        e_mails_sent=len(mails),
    )
