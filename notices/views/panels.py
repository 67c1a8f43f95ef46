"""The panels other apps' pages load by htmx: a person's unread notices, an
organisation's notices with their read rates, the important notices of an overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.access import get_organisation_or_404, get_person_or_404, scope_for

from .. import selectors
from ..models import Notice

PANEL_SIZE = 5


@login_required
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_or_404(request, pk)
    return render(
        request,
        "notices/person_panel.html",
        {
            "person": person,
            "notices": selectors.unread_for(person, limit=PANEL_SIZE),
            "is_me": scope_for(request.user).person == person,
        },
    )


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    notices = list(selectors.sent_by(organisation, status=Notice.Status.PUBLISHED)[:PANEL_SIZE])
    return render(
        request,
        "notices/organisation_panel.html",
        {"organisation": organisation, "notices": notices},
    )


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    notices = list(
        selectors.managed_by(scope)
        .published()
        .important()
        .with_receipt_counts()
        .select_related("organisation")
        .order_by("-published_at", "-pk")[:PANEL_SIZE]
    )
    return render(request, "notices/overview_panel.html", {"notices": notices})
