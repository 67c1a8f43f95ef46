"""Settings for the processes a fault test starts (workers, beat): the test settings,
with e-mails appended to the file FAULTS_MAILBOX names (so the test counts them), tasks
on the queue FAULTS_QUEUE names, and the broker's visibility timeout from
FAULTS_VISIBILITY_TIMEOUT (how long the message of a killed worker waits before Redis
hands it out again; an hour by default)."""

from supplychain_party.settings.base import env
from supplychain_party.settings.test import *  # noqa: F403
from supplychain_party.settings.test import DATABASES

EMAIL_BACKEND = "tests.faults.mailbox.JsonLinesEmailBackend"
# A queue of the test's own (FAULTS_QUEUE), so its beats and workers never meet the tasks
# of another test run sharing the broker.
CELERY_TASK_DEFAULT_QUEUE = env("FAULTS_QUEUE", default="celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.float("FAULTS_VISIBILITY_TIMEOUT", default=3600.0)
}
# PostgreSQL 14+ cancels the statement of a client that has died instead of completing
# it on the dead client's behalf. Without it, a worker killed while its e-mail claim
# (UPDATE ... SET emailed_at) waits on a lock has that claim committed once the lock is
# released, and nobody sends the e-mail (tests/faults/test_worker_killed_every_job.py
# found one such e-mail lost). Recommended for production too (README, "Faults").
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c client_connection_check_interval=1000"
)
