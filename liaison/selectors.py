"""Reads for mass liaison and the problem ledger: scoped querysets and the figures.

Every list here goes through `members.access.scope_for(user)`; none checks roles by
itself. A member sees their own records (the visits they filed, the problems they
own or raised); a secretary their branch; a general branch and the committee their
subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from branches.models import Organisation
from members.access import Scope

from .models import (
    OPEN_STATES,
    ContactPoint,
    Escalation,
    Opinion,
    Pairing,
    Problem,
    ProblemState,
    Visit,
)

# --- Scoped lists -------------------------------------------------------------------


def visible_visits(scope: Scope) -> QuerySet[Visit]:
    if scope.sees_all:
        return Visit.objects.all()
    condition = Q(visitor=scope.person) if scope.person else Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(organisation__path__startswith=path)
    return Visit.objects.filter(condition)


def visible_problems(scope: Scope) -> QuerySet[Problem]:
    if scope.sees_all:
        return Problem.objects.all()
    condition = Q(pk__in=[])
    if scope.person:
        condition = Q(owner=scope.person) | Q(raised_by=scope.person)
    for path in scope.paths:
        condition |= Q(organisation__path__startswith=path)
    return Problem.objects.filter(condition)


def visible_opinions(scope: Scope) -> QuerySet[Opinion]:
    if scope.sees_all:
        return Opinion.objects.all()
    condition = Q(pk__in=[])
    if scope.person:
        condition = Q(raised_by=scope.person) | Q(recorded_by=scope.person)
    for path in scope.paths:
        condition |= Q(organisation__path__startswith=path)
    return Opinion.objects.filter(condition)


def visits_for_list(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    queryset = queryset.select_related("visitor", "visited", "organisation", "reviewed_by",
                                   "campaign").annotate(opinion_count=Count("opinions"))
    # An aggregate drops Meta.ordering: order explicitly for stable pages.
    return queryset.order_by("-visited_on", "-pk")


def problems_for_list(queryset: QuerySet[Problem]) -> QuerySet[Problem]:
    return queryset.select_related("category", "organisation", "owner", "raised_by")


def problems_filtered(queryset: QuerySet[Problem], *, state: str = "", category: str = "",
                      overdue: bool = False, search: str = "",
                      today: datetime.date | None = None) -> QuerySet[Problem]:
    """The ledger's filters; unknown values are ignored rather than failing."""
    if state in ProblemState.values:
        queryset = queryset.filter(state=state)
    if category.isdigit():
        queryset = queryset.filter(category_id=int(category))
    if overdue:
        queryset = queryset.overdue(today)
    if search.strip():
        term = search.strip()
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(description__icontains=term)
            | Q(owner__name__icontains=term) | Q(raised_by__name__icontains=term)
        )
    return queryset


def escalations_received(organisation: Organisation) -> QuerySet[Escalation]:
    """Escalations handed to this organisation, open problems first."""
    return (Escalation.objects.filter(organisation=organisation)
            .select_related("problem__organisation", "problem__owner")
            .order_by("-escalated_at", "-pk"))


def contact_handbook(cadre) -> dict:
    """A cadre's contact handbook (联系手册): contact points, pairings, recent visits."""
    return {
        "contact_points": list(ContactPoint.objects.filter(cadre=cadre, ended_on__isnull=True)),
        "pairings": list(Pairing.objects.open().filter(member=cadre).select_related("partner")),
        "visits": list(visits_for_list(Visit.objects.filter(visitor=cadre))[:20]),
    }


# --- Figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    organisation: Organisation | None
    opinions: int = 0
    registered: int = 0
    resolved: int = 0
    written_off: int = 0
    on_time: int = 0
    overdue: int = 0
    avg_days_to_write_off: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None


_RESOLVED = (ProblemState.RESOLVED, ProblemState.FEEDBACK_GIVEN, ProblemState.WRITTEN_OFF)


def _problem_aggregates(today: datetime.date) -> dict:
    """Counts over the problems registered in the period (a cohort): how many were
    resolved, written off, resolved by the deadline, and how many are late (still
    open past the deadline, or resolved after it)."""
    to_write_off = ExpressionWrapper(F("written_off_at") - F("registered_at"),
                                     output_field=DurationField())
    resolved_by_deadline = Q(resolved_at__isnull=False, state__in=_RESOLVED,
                             resolved_at__date__lte=F("deadline"))
    return {
        "registered": Count("pk"),
        "resolved": Count("pk", filter=Q(state__in=_RESOLVED)),
        "written_off": Count("pk", filter=Q(state=ProblemState.WRITTEN_OFF)),
        "on_time": Count("pk", filter=resolved_by_deadline),
        "overdue": Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)
                         | Q(state__in=_RESOLVED, resolved_at__date__gt=F("deadline"))),
        "avg_to_write_off": Avg(to_write_off, filter=Q(state=ProblemState.WRITTEN_OFF)),
    }


def _days(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def figures(organisation: Organisation, *, start: datetime.date, end: datetime.date,
            today: datetime.date | None = None) -> tuple[Figures, list[Figures]]:
    """The figures of an organisation's subtree for opinions raised and problems
    registered from `start` to `end` (inclusive), and the same for each organisation
    directly below it. Five queries, whatever the size of the tree or the ledger."""
    today = today or timezone.localdate()
    path = organisation.path
    opinions = Opinion.objects.filter(organisation__path__startswith=path,
                                      raised_on__gte=start, raised_on__lte=end)
    problems = Problem.objects.filter(organisation__path__startswith=path,
                                      registered_at__date__gte=start,
                                      registered_at__date__lte=end)
    aggregates = _problem_aggregates(today)
    total_problems = problems.aggregate(**aggregates)
    total = Figures(
        organisation=organisation, opinions=opinions.count(),
        **{k: v for k, v in total_problems.items() if k != "avg_to_write_off"},
        avg_days_to_write_off=_days(total_problems["avg_to_write_off"]),
    )
    # Below: group by the path prefix one level down (treebeard's fixed step length).
    children = list(Organisation.objects.filter(path__startswith=path,
                                                depth=organisation.depth + 1).order_by("path"))
    if not children:
        return total, []
    length = len(path) + Organisation.steplen
    unit = Substr("organisation__path", 1, length)
    opinion_counts = dict(
        opinions.exclude(organisation__path=path).annotate(unit=unit).order_by()
        .values("unit").annotate(n=Count("pk")).values_list("unit", "n")
    )
    problem_rows = {
        row.pop("unit"): row
        for row in problems.exclude(organisation__path=path).annotate(unit=unit).order_by()
        .values("unit").annotate(**aggregates)
    }
    rows = []
    for child in children:
        row = problem_rows.get(child.path, {})
        rows.append(Figures(
            organisation=child, opinions=opinion_counts.get(child.path, 0),
            registered=row.get("registered", 0), resolved=row.get("resolved", 0),
            written_off=row.get("written_off", 0), on_time=row.get("on_time", 0),
            overdue=row.get("overdue", 0),
            avg_days_to_write_off=_days(row.get("avg_to_write_off")),
        ))
    return total, rows


def campaigns_for_list(organisation: Organisation) -> QuerySet:
    from .models import Campaign

    return (Campaign.objects.filter(organisation__path__startswith=organisation.path)
            .select_related("organisation").annotate(opinion_count=Count("opinions")))


def member_panel(person, *, today: datetime.date) -> dict:
    """A member's recent visits and the problems they own or raised. Three queries."""
    problems = Problem.objects.filter(Q(owner=person) | Q(raised_by=person))
    return {
        "visits": list(Visit.objects.filter(visitor=person).select_related("visited")[:5]),
        "problems": list(problems.exclude(state=ProblemState.WRITTEN_OFF)
                         .select_related("organisation").order_by("deadline", "pk")[:5]),
        "pairings": list(Pairing.objects.open(today).filter(member=person)
                         .select_related("partner")),
        "today": today,
    }


def organisation_panel(organisation: Organisation, *, today: datetime.date) -> dict:
    """Open and overdue problems of the subtree, visits to review, and escalations
    received. Three queries."""
    counts = Problem.objects.within_subtree(organisation).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
        awaiting_write_off=Count("pk", filter=Q(state=ProblemState.FEEDBACK_GIVEN)),
    )
    to_review = Visit.objects.filter(organisation__path__startswith=organisation.path,
                                     reviewed_at__isnull=True).count()
    return {
        "counts": counts, "to_review": to_review,
        "escalations": list(escalations_received(organisation)[:10]),
        "today": today,
    }
