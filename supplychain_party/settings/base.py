"""Settings shared by every environment."""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from supplychain_party.csp import CSP  # Django 6: from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-never-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "supplychain_party.admin_site.PortalAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "template_partials",
    "treebeard",
    "django_celery_beat",
    "supplychain_party",  # shared template tags
    "accounts",
    "audit",
    "branches",
    "members",
    "liaison",
    "meetings",
    "notifications",
    "assessments",
    "development",
    "vanguard",
    "activities",
    "serviceteam",
    "dues",
    "study",
    "elections",
    "transfers",
    "notices",
    "overview",
    "scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # SECURE_CSP below; Django 6 has its own (see supplychain_party/csp.py).
    "supplychain_party.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "members.middleware.WholeTreeReadsOnlyMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "audit.middleware.DownloadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "supplychain_party.urls"
WSGI_APPLICATION = "supplychain_party.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.scope",
            ],
        },
    },
]

# SQLite is the embedded default so the demo needs no server; tests and production
# set DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The company's password policy: at least 10 characters mixing three of four kinds.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
# Guessing protection (accounts.services): 5 failures within 15 minutes lock the
# username for 15 minutes.
LOGIN_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = datetime.timedelta(minutes=15)
LOGIN_LOCKOUT = datetime.timedelta(minutes=env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=15))
# Sessions last a working day at most and end after 30 idle minutes
# (accounts.middleware); the session cookie is never readable by scripts.
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_IDLE_TIMEOUT = datetime.timedelta(
    minutes=env.int("DJANGO_SESSION_IDLE_MINUTES", default=30)
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy, in the shape of Django 6's SECURE_CSP (supplychain_party/csp.py
# sends it on 5.2). Nothing runs or styles a page but files the portal serves itself:
# no inline <script>, on*= handler or style= attribute anywhere (tests/test_csp.py),
# htmx's indicator styles come from portal.css (the htmx-config meta tag in base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # One exception, in the admin: django-simple-history's history page writes
    # style="border-top: 0" on its paginator. 'unsafe-hashes' with that declaration's
    # hash lets exactly this attribute through, and nothing else.
    "style-src": [
        CSP.SELF,
        CSP.UNSAFE_HASHES,
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    ],
    # data: for Bootstrap's own icons (select arrows, check marks), drawn from its CSS.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CSP_REPORT_ONLY: dict = {}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes; a test server or a second checkout may collect elsewhere.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end assets come from npm packages (package.json) and are served locally:
# the portal runs on an intranet with no internet access.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Celery: every setting in one place, with why.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/1")
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only after it ran, so a worker killed halfway hands it back;
# tasks are written to be safe to run twice (they claim rows before acting).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per process: reminders are short and prefetching hides work
# from the other workers.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Schedules live in the database so the committee can see and change them in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A reminder sweep never takes long; a hung one is killed so the next beat tick runs
# (its work is keyed by recipient, reason and period, so nothing is sent twice).
CELERY_TASK_TIME_LIMIT = 300
# A task handed out to a worker that died (acks_late) goes back to the queue after this
# long; Redis's default is an hour. Above the time limit, so a slow task is never
# handed out twice while it still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}

# Meeting attachments: photos, scanned sign-in sheets and documents, up to 10 MB.
MEETINGS_ATTACHMENT_MAX_BYTES = env.int("MEETINGS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# How long a meeting's QR sign-in code stays valid.
MEETINGS_SIGN_IN_MAX_AGE = 2 * 60 * 60
# The portal's address as members reach it, for links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://localhost:8000")

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="portal@example.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# Lists page by this many rows; large enough for a branch roster on one page.
PAGE_SIZE = 50
