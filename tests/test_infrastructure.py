"""The suite runs on the real services, never on stand-ins.

These tests fail (they do not skip) when PostgreSQL or Redis is missing: `make test` and
`.ci/run` start both (scripts/services.sh). Nothing here is mocked.
"""

import pytest
import redis
from django.conf import settings
from django.db import connection

from supplychain_party.celery import app


@pytest.mark.django_db
def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL")
    # pytest-django's own database, never the one DATABASE_URL names.
    assert connection.settings_dict["NAME"].startswith("test_")


@pytest.mark.parametrize("setting", ["CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"])
def test_redis_answers_ping(setting):
    url = getattr(settings, setting)
    assert url.startswith("redis://")
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        assert client.ping() is True
    finally:
        client.close()




@pytest.mark.celery_worker
def test_a_real_worker_on_redis_runs_a_task(celery_worker_thread):
    assert app.conf.broker_url.startswith("redis://")
    result = app.send_task("celery.ping")
    assert result.get(timeout=20) == "pong"
