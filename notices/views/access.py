"""Fetching a notice for a user: what they may read, what they may manage; 404 else."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from members.access import scope_for

from .. import selectors
from ..models import Notice


def get_readable_or_404(request: HttpRequest, pk: int) -> tuple[Notice, bool]:
    """The notice and whether it is addressed to the user (and so gets a receipt).

    Addressed: published, from an organisation above the user (or their own). Besides,
    the leaders of the sending organisation (and above) open any of its notices,
    drafts and withdrawn ones included. Anyone else gets a 404.
    """
    scope = scope_for(request.user)
    notice = selectors.addressed_to(scope).select_related("organisation").filter(pk=pk).first()
    if notice is not None:
        return notice, True
    return get_managed_or_404(request, pk), False


def get_managed_or_404(request: HttpRequest, pk: int) -> Notice:
    """The notice, for a leader of its organisation (or above); 404 for anyone else."""
    scope = scope_for(request.user)
    if not scope.leads_anything:
        raise Http404
    try:
        return selectors.managed_by(scope).select_related("organisation").get(pk=pk)
    except Notice.DoesNotExist:
        raise Http404 from None
