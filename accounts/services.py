"""Login throttling: count failures per username and lock it after too many.

The numbers are settings (`LOGIN_FAILURE_LIMIT` failures within
`LOGIN_FAILURE_WINDOW` lock the username for `LOGIN_LOCKOUT`). While locked, even the
right password is refused, so guessing cannot continue through the lock.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginThrottle


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def login_locked_until(*, username: str) -> datetime.datetime | None:
    """When the username's lock ends, or None when it may try to log in."""
    throttle = LoginThrottle.objects.filter(username=_key(username)).first()
    return throttle.locked_until if throttle and throttle.is_locked else None


@transaction.atomic
def login_failed(*, username: str, ip: str | None = None) -> LoginThrottle:
    """Count one failed login; lock the username when the limit is reached."""
    now = timezone.now()
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=_key(username))
    window_start = now - settings.LOGIN_FAILURE_WINDOW
    if throttle.first_failure_at is None or throttle.first_failure_at < window_start:
        throttle.failures, throttle.first_failure_at = 0, now
    throttle.failures += 1
    throttle.last_failure_at, throttle.last_ip = now, ip
    if throttle.failures >= settings.LOGIN_FAILURE_LIMIT:
        throttle.locked_until = now + settings.LOGIN_LOCKOUT
        throttle.failures, throttle.first_failure_at = 0, None
    throttle.save()
    return throttle


def login_succeeded(*, username: str) -> None:
    """A successful login forgets earlier failures (the lock has already been checked)."""
    LoginThrottle.objects.filter(username=_key(username)).delete()


def login_unlock(*, usernames: list[str]) -> int:
    """Lift the lock of some usernames (the committee's administrators do it in the admin)."""
    return LoginThrottle.objects.filter(username__in=[_key(u) for u in usernames]).delete()[0]
