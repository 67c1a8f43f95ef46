"""Reads: the supply status board with its week-on-week changes, a project's weekly
timeline, the team log, and the figures the panels show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import KeyProject, ServiceRecord, ServiceTeam, TeamMember, WeeklyStatus, week_start
from .models.supply import STAGES

UP, DOWN, SAME, NEW = "up", "down", "same", "new"


@dataclass
class BoardRow:
    project: KeyProject
    status: WeeklyStatus | None
    previous: WeeklyStatus | None
    changes: dict  # stage -> UP / DOWN / SAME (or NEW for every stage of a new project)

    @property
    def is_new(self) -> bool:
        return self.status is not None and self.previous is None

    @property
    def advanced(self) -> bool:
        return UP in self.changes.values()

    @property
    def regressed(self) -> bool:
        return DOWN in self.changes.values()

    @property
    def change_words(self) -> str:
        """The change as one phrase, for the export."""
        if self.status is None:
            return _("No entry this week")
        if self.is_new:
            return _("New")
        if self.regressed:
            return _("Regressed")
        if self.advanced:
            return _("Advanced")
        return _("No change")

    @property
    def entered_by_name(self) -> str:
        return entered_by_name(self.status)


def entered_by_name(status: WeeklyStatus | None) -> str:
    """The name of who entered a status (its login's person, else the username)."""
    if status is None or status.entered_by is None:
        return ""
    person = getattr(status.entered_by, "person", None)
    return person.name if person is not None else status.entered_by.get_username()


def compare(status: WeeklyStatus | None, previous: WeeklyStatus | None) -> dict:
    if status is None:
        return {}
    if previous is None:
        return {stage: NEW for stage, _percent in STAGES}
    changes = {}
    for stage, _percent in STAGES:
        now, before = status.rank(stage), previous.rank(stage)
        changes[stage] = UP if now > before else DOWN if now < before else SAME
    return changes


def board_weeks(limit: int = 26) -> list[datetime.date]:
    """The weeks that have entries, latest first."""
    return list(
        WeeklyStatus.objects.order_by("-week").values_list("week", flat=True).distinct()[:limit]
    )


def latest_week() -> datetime.date | None:
    return WeeklyStatus.objects.order_by("-week").values_list("week", flat=True).first()


def board_projects(*, search: str = "", show: str = "", week: datetime.date) -> QuerySet:
    """The active projects of the board, filtered: "delayed" (behind schedule this
    week), "missing" (no entry this week)."""
    projects = KeyProject.objects.active().search(search).order_by("code")
    if show == "delayed":
        projects = projects.filter(statuses__week=week, statuses__is_delayed=True)
    elif show == "missing":
        projects = projects.exclude(statuses__week=week)
    return projects


def board_rows(projects, *, week: datetime.date) -> list[BoardRow]:
    """The rows for the given projects (a page of them): 2 queries whatever the number,
    this week's statuses and each project's latest status before it."""
    projects = list(projects)
    ids = [project.pk for project in projects]
    related = ("entered_by__person",)
    current = {
        s.project_id: s
        for s in WeeklyStatus.objects.filter(project_id__in=ids, week=week).select_related(*related)
    }
    # The latest earlier week of each project (weeks may be skipped).
    previous = _latest_of_each(ids, before=week)
    rows = []
    for project in projects:
        status, before = current.get(project.pk), previous.get(project.pk)
        rows.append(BoardRow(project, status, before, compare(status, before)))
    return rows


def board_counts(week: datetime.date) -> dict:
    """Active projects, those entered this week and those behind schedule (one query)."""
    return KeyProject.objects.active().aggregate(
        projects=Count("pk", distinct=True),
        entered=Count("statuses", filter=Q(statuses__week=week), distinct=True),
        delayed=Count(
            "statuses", filter=Q(statuses__week=week, statuses__is_delayed=True), distinct=True
        ),
    )


def project_timeline(project: KeyProject) -> list[BoardRow]:
    """A project's weeks, latest first, each compared with the week before it."""
    statuses = list(project.statuses.select_related("entered_by__person").order_by("week"))
    rows, previous = [], None
    for status in statuses:
        rows.append(BoardRow(project, status, previous, compare(status, previous)))
        previous = status
    return list(reversed(rows))


def latest_statuses(projects) -> dict:
    """Each project's latest status (the template's prefill)."""
    return _latest_of_each([project.pk for project in projects])


def _latest_of_each(project_ids: list[int], *, before: datetime.date | None = None) -> dict:
    """project id -> its latest status (before a week, if given), in one query.

    A correlated subquery rather than PostgreSQL's DISTINCT ON, so the demo's SQLite
    runs it too; the (project, week) unique index serves both."""
    earlier = WeeklyStatus.objects.filter(project_id=OuterRef("project_id"))
    if before is not None:
        earlier = earlier.filter(week__lt=before)
    latest = earlier.order_by("-week").values("pk")[:1]
    return {
        s.project_id: s
        for s in WeeklyStatus.objects.filter(project_id__in=project_ids, pk=Subquery(latest))
    }


def this_week() -> datetime.date:
    return week_start(timezone.localdate())


# --- The team ------------------------------------------------------------------------------


def records_filtered(records: QuerySet, *, search: str = "", kind: str = "") -> QuerySet:
    if kind in ServiceRecord.Kind.values:
        records = records.filter(kind=kind)
    search = search.strip()
    if search:
        records = records.filter(
            Q(unit_name__icontains=search)
            | Q(work_done__icontains=search)
            | Q(outcome__icontains=search)
        )
    return records


def roster(team: ServiceTeam, *, on: datetime.date) -> QuerySet:
    return (
        TeamMember.objects.current(on)
        .filter(team=team)
        .select_related("person__branch")
        .order_by("role", "joined_on", "pk")
    )


def teams_for_list(teams: QuerySet, *, on: datetime.date) -> QuerySet:
    month_start = on.replace(day=1)
    return teams.select_related("organisation", "leader").annotate(
        roster_size=Count(
            "members",
            filter=Q(members__joined_on__lte=on)
            & (Q(members__left_on__isnull=True) | Q(members__left_on__gt=on)),
            distinct=True,
        ),
        records_this_month=Count(
            "records", filter=Q(records__served_on__gte=month_start), distinct=True
        ),
    )
