"""The service team's pages: the landing page, a team's roster and log, logging a
service, and the panels other apps' pages load."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, get_person_or_404, scope_for
from members.models import Person
from supplychain_party.exports import xlsx_response

from .. import selectors, services
from ..access import (
    get_record_or_404,
    get_team_or_404,
    is_on_team,
    leads_team,
    may_enter_status,
    may_log,
    visible_records,
    visible_teams,
)
from ..forms import RecordForm, TeamMemberForm
from ..models import ServiceRecord, ServiceTeam, TeamMember
from ..sheets import log_workbook


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The teams the user can see, their own places on a roster, and this week's board."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    teams = selectors.teams_for_list(visible_teams(scope).filter(is_active=True), on=today)
    places = []
    if scope.person is not None:
        places = list(
            TeamMember.objects.current(today).filter(person=scope.person).select_related("team")
        )
    week = selectors.latest_week() or selectors.this_week()
    return render(
        request,
        "serviceteam/index.html",
        {
            "teams": teams,
            "places": places,
            "week": week,
            "counts": selectors.board_counts(week),
            "may_enter": may_enter_status(scope),
        },
    )


def _log(request: HttpRequest, team: ServiceTeam):
    scope = scope_for(request.user)
    filters = {"search": request.GET.get("q", ""), "kind": request.GET.get("kind", "")}
    records = visible_records(scope).filter(team=team)
    records = selectors.records_filtered(records, **filters).for_list()
    return Paginator(records, settings.PAGE_SIZE).get_page(request.GET.get("page")), filters


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team's roster and its service log (filtered, paginated)."""
    team = get_team_or_404(request, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    page, filters = _log(request, team)
    leads = leads_team(scope, team)
    form = None
    if leads and team.is_active:
        form = TeamMemberForm(people=scope.people(), initial={"joined_on": today})
    return render(
        request,
        "serviceteam/team_detail.html",
        {
            "team": team,
            "roster": selectors.roster(team, on=today),
            "page": page,
            "filters": filters,
            "kinds": ServiceRecord.Kind.choices,
            "leads": leads,
            "may_log": team.is_active and (leads or is_on_team(scope, team)),
            "form": form,
            "me": scope.person.pk if scope.person else None,
        },
    )


@login_required
def log_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The service log as Excel, with the page's filters."""
    team = get_team_or_404(request, pk)
    scope = scope_for(request.user)
    records = (
        selectors.records_filtered(
            visible_records(scope).filter(team=team),
            search=request.GET.get("q", ""),
            kind=request.GET.get("kind", ""),
        )
        .for_list()
        .order_by("served_on", "pk")
    )
    return xlsx_response(log_workbook(team=team, records=records), f"{team.name}服务台账.xlsx")


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_or_404(request, pk)
    scope = scope_for(request.user)
    if not leads_team(scope, team):
        raise Http404
    form = TeamMemberForm(request.POST, people=scope.people())
    if form.is_valid():
        try:
            services.team_member_add(team=team, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(name)s joined the team.") % {"name": form.cleaned_data["person"].name}
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("serviceteam:team_detail", pk=team.pk)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    try:
        place = TeamMember.objects.select_related("team__organisation", "person").get(
            pk=pk, team__in=visible_teams(scope)
        )
    except TeamMember.DoesNotExist:
        raise Http404 from None
    if not leads_team(scope, place.team):
        raise Http404
    try:
        if services.team_member_leave(place=place, on=timezone.localdate()):
            messages.success(request, _("%(name)s left the team.") % {"name": place.person.name})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("serviceteam:team_detail", pk=place.team_id)


def _record_form_page(
    request: HttpRequest, *, team: ServiceTeam, record: ServiceRecord | None = None
) -> HttpResponse:
    scope = scope_for(request.user)
    on_roster = Person.objects.filter(service_team_places__team=team).distinct().order_by("name")
    initial = {"served_on": timezone.localdate()}
    if scope.person is not None:
        initial["members"] = [scope.person.pk]
    if record is not None:
        initial = {
            "served_on": record.served_on,
            "kind": record.kind,
            "unit_kind": record.unit_kind,
            "unit_name": record.unit_name,
            "members": list(record.members.values_list("pk", flat=True)),
            "work_done": record.work_done,
            "outcome": record.outcome,
            "follow_up": record.follow_up,
        }
    form = RecordForm(request.POST or None, initial=initial, roster_people=on_roster,
                      version=services.service_record_version(record) if record else None)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                services.service_record_create(
                    team=team,
                    data=form.record_data(),
                    members=form.cleaned_data["members"],
                    by=scope.person,
                )
                messages.success(request, _("The service was logged."))
            else:
                services.service_record_update(
                    record=record, data=form.record_data(), members=form.cleaned_data["members"],
                    version=form.version,
                )
                messages.success(request, _("The service record was updated."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("serviceteam:team_detail", pk=team.pk)
    return render(
        request, "serviceteam/record_form.html", {"form": form, "team": team, "record": record}
    )


@login_required
def record_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_or_404(request, pk)
    if not may_log(scope_for(request.user), team):
        raise Http404
    return _record_form_page(request, team=team)


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The recorder and the team's leaders correct a record."""
    record = get_record_or_404(request, pk)
    scope = scope_for(request.user)
    mine = scope.person is not None and record.recorded_by_id == scope.person.pk
    if not (leads_team(scope, record.team) or (mine and may_log(scope, record.team))):
        raise Http404
    return _record_form_page(request, team=record.team, record=record)


# --- Panels for other apps' pages (loaded by htmx, so those pages keep their counts) ---


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The teams an organisation owns: roster size and services this month."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    teams = list(
        selectors.teams_for_list(
            ServiceTeam.objects.filter(organisation=organisation, is_active=True), on=today
        )
    )
    if not teams:
        return HttpResponse("")
    return render(
        request,
        "serviceteam/organisation_panel.html",
        {"organisation": organisation, "teams": teams},
    )


@login_required
def person_panel(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A member's places on a service team and how many services they went on."""
    person = get_person_or_404(request, person_pk)
    today = timezone.localdate()
    places = list(TeamMember.objects.current(today).filter(person=person).select_related("team"))
    count = ServiceRecord.objects.filter(members=person).count()
    if not places and not count:
        return HttpResponse("")
    return render(
        request,
        "serviceteam/person_panel.html",
        {
            "person": person,
            "places": places,
            "count": count,
            "this_year": ServiceRecord.objects.filter(
                members=person, served_on__year=today.year
            ).count(),
        },
    )
