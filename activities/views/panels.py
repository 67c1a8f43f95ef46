from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.access import get_organisation_or_404, get_person_or_404

from .. import selectors
from ..models import Activity, JointProject


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Recent activities of the subtree and the pairings' joint projects."""
    organisation = get_organisation_or_404(request, org_pk)
    activities = selectors.activities_for_list(
        Activity.objects.filter(organisation__path__startswith=organisation.path)
    )[:5]
    projects = (
        JointProject.objects.filter(partnership__organisation__path__startswith=organisation.path)
        .select_related("partnership__partner", "lead")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "activities/organisation_panel.html",
        {
            "organisation": organisation,
            "activities": activities,
            "projects": projects,
        },
    )


@login_required
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """What the person attended or spoke at lately, and the joint projects they work on."""
    person = get_person_or_404(request, pk)
    activities = selectors.activities_for_list(
        Activity.objects.filter(
            pk__in=Activity.objects.filter(
                Q(attendances__person=person) | Q(speakers__person=person)
            ).values("pk")
        )
    )[:5]
    projects = (
        JointProject.objects.filter(Q(lead=person) | Q(members=person))
        .distinct()
        .select_related("partnership__partner")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "activities/person_panel.html",
        {"person": person, "activities": activities, "projects": projects},
    )
