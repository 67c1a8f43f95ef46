"""A Celery worker killed in the middle of a reminder run loses and duplicates nothing.

A real worker process, on real Redis and PostgreSQL, starts the monthly study reminder
and is held inside it (the test keeps a lock on the notifications table, so the worker
waits at its first insert); then it is killed with SIGKILL. Its transaction dies with it.
The next run, as beat makes it, sends every reminder, and only once.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from meetings.reminders import monthly_study_reminders_send
from meetings.tasks import send_monthly_study_reminders
from notifications.models import Notification


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(world):
    db = connection.settings_dict
    dsn = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"],
           "host": db["HOST"], "port": db["PORT"]}
    locker = psycopg2.connect(**dsn)
    watcher = psycopg2.connect(**dsn)
    watcher.autocommit = True
    queue = f"killed-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.test",
           "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND}
    worker = None
    try:
        with locker.cursor() as cursor:  # inserts wait; reads go on
            cursor.execute("LOCK TABLE notifications_notification IN SHARE ROW EXCLUSIVE MODE")
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "supplychain_party", "worker", "-P", "solo",
             "-c", "1", "--without-mingle", "--without-gossip", "-Q", queue, "-l", "WARNING"],
            env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        send_monthly_study_reminders.apply_async(kwargs={"day": 1}, queue=queue)

        def worker_is_waiting_on_the_lock() -> bool:
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
                    [db["NAME"]],
                )
                return cursor.fetchone()[0] > 0

        _wait_for(worker_is_waiting_on_the_lock, 60, "the worker to reach its first insert")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        locker.rollback()
        locker.close()
        if worker and worker.poll() is None:
            worker.kill()

    def killed_backend_gone() -> bool:
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')",
                [db["NAME"]],
            )
            return cursor.fetchone()[0] <= 1  # only the test's own connection may remain

    _wait_for(killed_backend_gone, 30, "PostgreSQL to end the killed worker's session")
    watcher.close()
    assert Notification.objects.count() == 0  # the killed run committed nothing half-way

    # The next run (beat runs the sweep again) sends everything, once.
    created = monthly_study_reminders_send(today=timezone.localdate(), day=1)
    assert created > 0
    assert Notification.objects.count() == created
    assert monthly_study_reminders_send(today=timezone.localdate(), day=1) == 0
    keys = list(Notification.objects.values_list("recipient_id", "reason", "period_key"))
    assert len(keys) == len(set(keys))
