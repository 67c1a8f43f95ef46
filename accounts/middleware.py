"""Idle sessions end: a login left unused for `SESSION_IDLE_TIMEOUT` is logged out."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

LAST_SEEN = "accounts.last_seen"
# Write the stamp at most this often, so most requests do not save the session.
RESOLUTION = 60


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", None)
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > timeout.total_seconds():
                logout(request)
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
