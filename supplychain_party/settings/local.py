"""The demo: SQLite and a file-based Celery broker, so nothing but Python is needed."""

from .base import *
from .base import BASE_DIR, SECURE_CSP, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Django 5.2's debug error pages are inline styles and scripts: the demo reports what
# the policy would block (in the browser's console) instead of enforcing it.
SECURE_CSP_REPORT_ONLY = SECURE_CSP
SECURE_CSP = {}

_celery_dir = BASE_DIR / ".celery"
for _sub in ("queue", "processed", "control", "results"):
    (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)

# The filesystem transport polls a folder (about 1 s latency) and needs no Redis; beat
# and the worker run beside the web server, so background jobs still run in the demo.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_celery_dir / "queue"),
    "data_folder_out": str(_celery_dir / "queue"),
    "processed_folder": str(_celery_dir / "processed"),
    "control_folder": str(_celery_dir / "control"),
    "store_processed": False,
}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=f"file://{_celery_dir / 'results'}")

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
