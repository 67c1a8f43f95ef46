"""Celery workers and beats as real processes, as production runs them, with the test's
database and broker; their logs are kept to count what they received and ran."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from tests.faults.conftest import BASE_DIR, database_url

SUCCEEDED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] succeeded")
RECEIVED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] received")
SENT = re.compile(r"Scheduler: Sending due task .*? \(([\w.]+)\)")


def celery_env(mailbox: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "FAULTS_MAILBOX": str(mailbox),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def celery(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`celery -A supplychain_party <args>`, logging at INFO to `log`."""
    return subprocess.Popen(  # noqa: S603 - the venv's celery, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "supplychain_party",
            *args,
            "--loglevel",
            "INFO",
            "--logfile",
            str(log),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a process group of its own: killpg takes its children too
    )


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and its children at once, as when the machine dies."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Warm shutdown (SIGTERM), then SIGKILL if it does not end."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def count(pattern: re.Pattern, *logs: Path) -> Counter:
    """How many lines of the logs match, by the pattern's first group (the task name)."""
    found: Counter = Counter()
    for log in logs:
        if log.exists():
            for match in pattern.finditer(log.read_text(encoding="utf-8", errors="replace")):
                found[match.group(1)] += 1
    return found


def ids(pattern: re.Pattern, *logs: Path) -> list[str]:
    """The task ids of the matching lines, in order (duplicates kept)."""
    return [
        match.group(2)
        for log in logs
        if log.exists()
        for match in pattern.finditer(log.read_text(encoding="utf-8", errors="replace"))
    ]


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
