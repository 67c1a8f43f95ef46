"""Tests: real PostgreSQL and Redis by default (DATABASE_URL may point elsewhere)."""

from .base import *
from .base import env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://party:party@127.0.0.1:5432/party")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# Fast hashing: tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests travel in time (time-machine) after logging in; the idle and age limits are
# tested on their own with override_settings (tests/test_accounts.py).
SESSION_IDLE_TIMEOUT = None
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/15")
# Under pytest-xdist (`make test` runs two workers) each worker has its own test database
# (pytest-django names it test_<name>_gw0, _gw1, ...) and its own in-process Celery worker;
# each also gets its own queue on the shared broker, so that one never runs a task the
# other queued (against the wrong database). Results are keyed by task id: no clash there.
if env("PYTEST_XDIST_WORKER", default=""):
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{env('PYTEST_XDIST_WORKER')}"

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
