"""The htmx panels other apps' pages load: a branch's pipeline summary, a person's
stage, the developed-per-year table of an overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from branches.models import Organisation
from members.access import get_organisation_or_404, get_person_or_404, scope_for

from .. import selectors
from ..models import Candidacy
from ..rules import Rules


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    stages = selectors.pipeline(organisation, Rules.load(), today)
    due = sorted(
        (row for _stage, rows in stages for row in rows if row.next and row.next.due),
        key=lambda row: row.next.due,
    )[:5]
    return render(
        request,
        "development/organisation_panel.html",
        {
            "organisation": organisation,
            "stages": [(stage, len(rows)) for stage, rows in stages],
            "due": due,
        },
    )


@login_required
def person_panel(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_person_or_404(request, person_pk)
    candidacy = (
        selectors.visible_candidacies(scope_for(request.user))
        .filter(person=person)
        .open()
        .select_related("branch")
        .first()
    )
    step = None
    if candidacy is not None:
        step = selectors.next_step(candidacy, Rules.load(), timezone.localdate())
    return render(
        request,
        "development/person_panel.html",
        {"person": person, "candidacy": candidacy, "next": step},
    )


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    home = scope.home_organisation
    if home is None and scope.sees_all:
        home = Organisation.objects.get_root_nodes().first()
    if home is None:
        raise Http404
    return render(
        request,
        "development/overview_panel.html",
        {
            "organisation": home,
            "per_year": selectors.developed_per_year(home),
            "open_count": Candidacy.objects.open()
            .filter(branch__path__startswith=home.path)
            .count(),
        },
    )
