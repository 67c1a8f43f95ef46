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

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
