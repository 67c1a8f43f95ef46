"""The whole-tree permission reads, it never writes (see `members.access`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .access import keep_to_writing_scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class WholeTreeReadsOnlyMiddleware:
    """A request that may change something (POST, PUT, PATCH, DELETE) is decided by
    the user's posts alone: for it, every `scope_for(request.user)` (views, services,
    the admin) is the writing scope, in which `members.view_whole_tree` does not count.

    Only staff can hold that permission, so other users' requests are left as they are.
    One place for it rather than each of the portal's write paths checking it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and request.user.is_staff:
            keep_to_writing_scope(request.user)
        return self.get_response(request)
