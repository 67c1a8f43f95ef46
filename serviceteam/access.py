"""Who sees and writes what in this app, on top of `members.access` (the one access layer).

- The supply status board is published company-wide: every logged-in user reads it.
- Only the service team enters or imports it: a current member of an active team, or
  someone who leads a team's owning organisation or an organisation above it.
- A team and its log are seen by those who lead its organisation (or above), by its
  own members, and by the secretaries of the branches its members come from (they see
  the records their members went on, as they see their members' other records).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from members.access import Scope, scope_for

from .models import ServiceRecord, ServiceTeam, TeamMember


def _in_paths(scope: Scope, field: str) -> Q:
    condition = Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def visible_teams(scope: Scope) -> QuerySet[ServiceTeam]:
    teams = ServiceTeam.objects.all()
    if scope.sees_all:
        return teams
    places = TeamMember.objects.filter(team=OuterRef("pk"))
    mine = Q(pk__in=[])
    if scope.person is not None:
        mine = Exists(places.filter(person=scope.person))
    reached = (
        Exists(places.filter(_in_paths(scope, "person__branch__path")))
        if scope.paths
        else Q(pk__in=[])
    )
    return teams.filter(_in_paths(scope, "organisation__path") | mine | reached)


def visible_records(scope: Scope) -> QuerySet[ServiceRecord]:
    records = ServiceRecord.objects.all()
    if scope.sees_all:
        return records
    condition = _in_paths(scope, "team__organisation__path")
    if scope.person is not None:
        on_team = TeamMember.objects.filter(team=OuterRef("team"), person=scope.person)
        condition |= Exists(on_team)
    if scope.paths:
        went = ServiceRecord.members.through.objects.filter(servicerecord=OuterRef("pk")).filter(
            _in_paths(scope, "person__branch__path")
        )
        condition |= Exists(went)
    return records.filter(condition)


def leads_team(scope: Scope, team: ServiceTeam) -> bool:
    """Whether the user leads the team's organisation or one above it (roster changes)."""
    return scope.covers(team.organisation)


def is_on_team(scope: Scope, team: ServiceTeam) -> bool:
    if scope.person is None:
        return False
    return TeamMember.objects.current().filter(team=team, person=scope.person).exists()


def may_log(scope: Scope, team: ServiceTeam) -> bool:
    """Team members and the team's leaders log service records."""
    return team.is_active and (leads_team(scope, team) or is_on_team(scope, team))


def may_enter_status(scope: Scope) -> bool:
    """Whether the user may enter or import the weekly supply statuses (one query)."""
    if scope.sees_all:
        return True
    condition = _in_paths(scope, "organisation__path")
    if scope.person is not None:
        current = TeamMember.objects.current(timezone.localdate()).filter(
            team=OuterRef("pk"), person=scope.person
        )
        condition |= Exists(current)
    return ServiceTeam.objects.filter(is_active=True).filter(condition).exists()


def get_team_or_404(request: HttpRequest, pk: int) -> ServiceTeam:
    try:
        return (
            visible_teams(scope_for(request.user))
            .select_related("organisation", "leader")
            .get(pk=pk)
        )
    except ServiceTeam.DoesNotExist:
        raise Http404 from None


def get_record_or_404(request: HttpRequest, pk: int) -> ServiceRecord:
    try:
        return (
            visible_records(scope_for(request.user))
            .select_related("team__organisation", "recorded_by")
            .get(pk=pk)
        )
    except ServiceRecord.DoesNotExist:
        raise Http404 from None
