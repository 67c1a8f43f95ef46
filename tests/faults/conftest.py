"""Faults survived, nothing lost: the shared pieces of the fault tests.

Every test here works on committed data (`transaction=True`): the processes it starts
(gunicorn, Celery workers and beat, pg_dump) have connections of their own. The demo is
loaded once per session and kept as a backup (`manage.py backup`'s service); later tests
restore it with `--force` in a few seconds instead of loading it again.

Each test writes what it measured to artifacts/faults/<name>.json (and prints it).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection

from supplychain_party.backup import database_backup, database_restore
from tests.demo_data import load_demo

BASE_DIR = Path(settings.BASE_DIR)
ARTIFACTS = BASE_DIR / "artifacts" / "faults"
PASSWORD = "Faults@2026-soak"


def report(name: str, **numbers) -> dict:
    """Keep what a fault test measured: artifacts/faults/<name>.json, and stdout (-s)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(
        json.dumps(numbers, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    print(f"\n[faults] {name}: {json.dumps(numbers, ensure_ascii=False, default=str)}")
    return numbers


def database_url() -> str:
    """The test database as a URL, for the processes a test starts."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def production_env(database: str, static_root: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server on loopback, as scale/bench/run.py sets it:
    production settings, a throw-away secret, no HTTPS redirect (no proxy in front)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def production_passwords(*usernames: str) -> None:
    """Give these logins PASSWORD hashed as production checks it (the test settings hash
    with MD5, which production does not accept)."""
    from django.contrib.auth import get_user_model

    encoded = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    updated = get_user_model().objects.filter(username__in=usernames).update(password=encoded)
    assert updated == len(usernames)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic once per session into a directory of its own (production serves the
    hashed files of the manifest; the shared staticfiles/ is left alone)."""
    root = tmp_path_factory.mktemp("static")
    env = production_env("postgres://unused@127.0.0.1:1/unused", root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture(scope="session")
def _demo_backup(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "demo.dump"


@pytest.fixture
def committed_demo(transactional_db, _demo_backup) -> None:
    """The demo, committed: loaded the first time (and backed up), restored after."""
    if _demo_backup.exists():
        database_restore(source=_demo_backup, force=True)
    else:
        load_demo()
        database_backup(output=_demo_backup)


@pytest.fixture
def with_emails(transactional_db) -> int:
    """Every login gets an e-mail address, so the reminders' e-mails are sent too."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return get_user_model().objects.update(email=Concat(F("username"), Value("@example.invalid")))
