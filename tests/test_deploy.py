"""Production settings: `check --deploy` is clean, and a missing secret stops the start.

Each check runs `manage.py` in a subprocess with production settings and only the environment
given here (the variables docker-compose passes from .env), so nothing of the test settings
leaks in.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.production",
    "DJANGO_ALLOWED_HOSTS": "dangjian.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://dangjian.example.com",
    # `check` without --database does not connect: the host need not exist.
    "DATABASE_URL": "postgres://party:secret@db:5432/party",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "CELERY_RESULT_BACKEND": "redis://redis:6379/1",
}


def base_env() -> dict[str, str]:
    """The process environment without any setting the portal reads."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "DATABASE_"))
    }
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def no_dotenv_secret():
    """settings/base.py reads a local .env; one holding a secret key would mask the test."""
    dotenv = BASE_DIR / ".env"
    if dotenv.exists() and "DJANGO_SECRET_KEY" in dotenv.read_text(encoding="utf-8"):
        pytest.skip(".env sets DJANGO_SECRET_KEY, so its absence cannot be tested here")


def test_check_deploy_reports_no_issues():
    env = base_env() | PRODUCTION_ENV | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNINGS" not in output
    assert "?: (security." not in output


def test_production_refuses_to_start_without_a_secret_key(no_dotenv_secret):
    env = base_env() | PRODUCTION_ENV
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "System check identified" not in result.stdout


@pytest.mark.django_db
def test_the_entrypoint_sets_up_the_committee_admin_group():
    """The web container runs this after `migrate`; a rename must not break deployments."""
    from django.contrib.auth.models import Group

    from members.permissions import COMMITTEE_ADMIN_GROUP

    entrypoint = (BASE_DIR / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
    (code,) = re.findall(r'manage\.py shell [^"]*-c "([^"]+)"', entrypoint)
    exec(code, {})  # noqa: S102 - the entrypoint's own line
    group = Group.objects.get(name=COMMITTEE_ADMIN_GROUP)
    assert group.permissions.exists()


# A request through the production middleware, in a subprocess like the checks above. An
# unknown URL is answered without a database (no view runs, so no ATOMIC_REQUESTS
# transaction), and the reverse proxy's header makes it an https request.
HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
host = {"HTTP_HOST": "dangjian.example.com"}
secure = Client(HTTP_X_FORWARDED_PROTO="https").get("/no-such-page/", **host)
plain = Client().get("/login/", **host)
cookies = {"session": settings.SESSION_COOKIE_SECURE, "csrf": settings.CSRF_COOKIE_SECURE,
           "language": settings.LANGUAGE_COOKIE_SECURE}
print(json.dumps({"secure": dict(secure.headers), "cookies": cookies,
                  "plain": [plain.status_code, plain.get("Location")]}))
"""


def test_production_sends_the_security_headers():
    import json

    env = base_env() | PRODUCTION_ENV | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-W", "ignore", "-c", HEADERS_SCRIPT],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["secure"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        directive.split(" ", 1) for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Plain http is sent to https, and no cookie ever travels over it.
    assert answer["plain"] == [301, "https://dangjian.example.com/login/"]
    assert answer["cookies"] == {"session": True, "csrf": True, "language": True}
