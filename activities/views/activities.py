from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.access import get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import ACTIVITY_COLUMNS
from ..forms import ActivityForm
from ..models import Activity


def get_activity_or_404(request: HttpRequest, pk: int) -> Activity:
    activities = selectors.visible_activities(scope_for(request.user))
    try:
        return activities.select_related("organisation").get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


def _activities(request: HttpRequest, scope):
    """The activities the user may see, with the list's filters: its page and export."""
    activities = selectors.visible_activities(scope)
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        activities = activities.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        activities = activities.filter(held_on__year=int(year))
    organisation = None
    org_param = request.GET.get("organisation", "")
    if org_param.isdigit():
        organisation = Organisation.objects.filter(pk=int(org_param)).first()
        if organisation is not None:
            activities = activities.filter(organisation__path__startswith=organisation.path)
    q = request.GET.get("q", "").strip()
    if q:
        activities = activities.filter(title__icontains=q)
    return selectors.activities_for_list(activities), kind, year, organisation, q


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The activities the user may see, newest first, filtered by kind, year and
    organiser (its subtree), searchable by title."""
    scope = scope_for(request.user)
    activities, kind, year, organisation, q = _activities(request, scope)
    page = Paginator(activities, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/index.html",
        {
            "page": page,
            "kind": kind,
            "year": year,
            "q": q,
            "organisation": organisation,
            "kinds": Activity.Kind.choices,
            "led": scope.organisations().active()
            if scope.leads_anything
            else Organisation.objects.none(),
            "person": scope.person,
            "columns": ACTIVITY_COLUMNS,
        },
    )


@login_required
def activities_export(request: HttpRequest) -> HttpResponse:
    """The activities list as Excel: the user's scope, the page's columns and filters."""
    activities, _kind, _year, _organisation, _q = _activities(request, scope_for(request.user))
    return ledger_response(activities, ACTIVITY_COLUMNS, filename="活动台账")


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_or_404(request, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "speakers": activity.speakers.select_related("person"),
            "attendances": activity.attendances.select_related("person__branch"),
            "may_edit": scope_for(request.user).covers(activity.organisation),
            "history": activity.history.select_related("history_user")[:10],
        },
    )


def _form_page(
    request: HttpRequest, *, organisation: Organisation, activity: Activity | None = None
) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.covers(organisation):
        raise Http404
    people = (
        scope.people()
        .active()
        .filter(branch__path__startswith=organisation.path)
        .order_by("name", "pk")
    )
    if scope.sees_all or organisation.depth == 1:
        people = scope.people().active().order_by("name", "pk")
    initial = {"form_token": uuid.uuid4()}
    if activity is not None:
        speakers = list(activity.speakers.select_related("person"))
        initial = {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "place": activity.place,
            "summary": activity.summary,
            "member_speakers": [s.person_id for s in speakers if s.person_id],
            "outside_speakers": "\n".join(
                f"{s.outside_name}: {s.topic}" if s.topic else s.outside_name
                for s in speakers
                if not s.person_id
            ),
            "attendees": list(activity.attendances.values_list("person_id", flat=True)),
        }
    form = ActivityForm(request.POST or None, initial=initial, people=people,
                        version=services.activity_version(activity) if activity else None)
    if request.method == "POST" and form.is_valid():
        try:
            if activity is None:
                activity = services.activity_create(
                    organisation=organisation,
                    data=form.activity_data(),
                    speakers=form.speaker_entries(),
                    attendees=list(form.cleaned_data["attendees"]),
                    by=request.user,
                    form_token=form.cleaned_data.get("form_token"),
                )
            else:
                services.activity_update(
                    activity=activity,
                    data=form.activity_data(),
                    speakers=form.speaker_entries(),
                    attendees=list(form.cleaned_data["attendees"]),
                    by=request.user,
                    version=form.version,
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("activities:activity_detail", pk=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "organisation": organisation, "activity": activity},
    )


@login_required
def activity_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    return _form_page(request, organisation=organisation)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_or_404(request, pk)
    return _form_page(request, organisation=activity.organisation, activity=activity)
