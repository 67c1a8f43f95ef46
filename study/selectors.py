"""Reads for study: what a person has to study, what a user may see, credits and
rankings. Each list is one query whatever the data (the ranking is one aggregate
with a window function)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank

from branches.models import Organisation
from members.access import Scope
from members.models import Person

from .models import Assignment, CreditEntry, Material, QuizAttempt, ReadRecord

ZERO = Decimal("0")
POINTS = DecimalField(max_digits=9, decimal_places=1)


# --- Periods -----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A month or a year of credits: `start` included, `end` excluded."""

    kind: str  # "month" or "year"
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m}"

    @property
    def key(self) -> str:
        return f"{self.start:%Y}" if self.kind == "year" else f"{self.start:%Y-%m}"


def month_of(day: datetime.date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    start = day.replace(day=1)
    return Period("month", start, start + datetime.timedelta(days=last))


def year_of(day: datetime.date) -> Period:
    return Period("year", datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1))


def parse_period(kind: str, key: str, today: datetime.date) -> Period:
    """`?period=month&at=2026-05` or `?period=year&at=2026`; today's when unreadable."""
    try:
        if kind == "year":
            return year_of(datetime.date(int(key), 1, 1))
        year, month = key.split("-")
        return month_of(datetime.date(int(year), int(month), 1))
    except (ValueError, TypeError):
        return year_of(today) if kind == "year" else month_of(today)


# --- What a person studies ---------------------------------------------------------


def path_prefixes(path: str) -> list[str]:
    """The paths of an organisation and of every organisation above it."""
    step = Organisation.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def person_prefixes(person: Person) -> list[str]:
    """Where a person sits: their party group (or branch) and everything above it."""
    place = person.group or person.branch
    return path_prefixes(place.path) if place is not None else []


def assigned_materials(person: Person) -> QuerySet[Material]:
    """Materials assigned to the person's group, branch or any organisation above, with
    the earliest due date, whether they read it and whether they passed its quiz; the
    unread first, then by due date."""
    prefixes = person_prefixes(person)
    applicable = Assignment.objects.filter(organisation__path__in=prefixes)
    reads = ReadRecord.objects.filter(person=person, material=OuterRef("pk"))
    passed = QuizAttempt.objects.filter(person=person, quiz__material=OuterRef("pk"), passed=True)
    return (
        Material.objects.filter(Exists(applicable.filter(material=OuterRef("pk"))))
        .annotate(
            due_on=Subquery(
                applicable.filter(material=OuterRef("pk")).order_by("due_on").values("due_on")[:1]
            ),
            read_at=Subquery(reads.values("read_at")[:1]),
            quiz_passed=Exists(passed),
        )
        .select_related("organisation", "quiz")
        .order_by(F("read_at").asc(nulls_first=True), "due_on", "-published_on", "pk")
    )


def unread_materials(person: Person) -> QuerySet[Material]:
    return assigned_materials(person).filter(read_at__isnull=True)


def visible_materials(scope: Scope) -> QuerySet[Material]:
    """Materials the user may open: those assigned to where they sit or above, and, for
    leaders, those published or assigned within their subtrees or above what they lead."""
    materials = Material.objects.all()
    if scope.sees_all:
        return materials
    prefixes: set[str] = set()
    if scope.person is not None:
        prefixes.update(person_prefixes(scope.person))
    for organisation in scope.led:
        prefixes.update(path_prefixes(organisation.path))
    condition = Q(
        Exists(
            Assignment.objects.filter(
                material=OuterRef("pk"), organisation__path__in=sorted(prefixes)
            )
        )
    )
    if scope.paths:
        condition |= Q(
            Exists(
                scope.within(
                    Assignment.objects.filter(material=OuterRef("pk")), "organisation__path"
                )
            )
        )
        for path in scope.paths:
            condition |= Q(organisation__path__startswith=path)
    return materials.filter(condition)


def managed_materials(scope: Scope) -> QuerySet[Material]:
    """Materials a leader manages: published by an organisation they lead (or below)."""
    return scope.within(Material.objects.all(), "organisation__path")


# --- Credits and rankings ----------------------------------------------------------


def credits_between(person: Person, period: Period) -> Decimal:
    total = CreditEntry.objects.filter(
        person=person, earned_on__gte=period.start, earned_on__lt=period.end
    ).aggregate(total=Sum("points"))["total"]
    return total or ZERO


def people_with_points(organisation: Organisation, period: Period) -> QuerySet[Person]:
    """The active party members of the subtree, each with their credits in the period."""
    points = (
        CreditEntry.objects.filter(
            person=OuterRef("pk"), earned_on__gte=period.start, earned_on__lt=period.end
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return (
        Person.objects.active()
        .party_members()
        .filter(branch__path__startswith=organisation.path)
        .annotate(
            points=Coalesce(Subquery(points, output_field=POINTS), Value(ZERO), output_field=POINTS)
        )
    )


def ranked_people(organisation: Organisation, period: Period) -> QuerySet[Person]:
    """The party members of the subtree ranked by credits in the period, ties sharing
    a rank (1, 1, 3). One query: a correlated sum and a window function."""
    return (
        people_with_points(organisation, period)
        .annotate(rank=Window(Rank(), order_by=F("points").desc()))
        .select_related("branch")
        .order_by("rank", "name", "pk")
    )


def position_of(person: Person, organisation: Organisation, period: Period) -> tuple[int, Decimal]:
    """The person's rank in the subtree (ties share it) and their credits. Two queries."""
    mine = credits_between(person, period)
    ahead = people_with_points(organisation, period).filter(points__gt=mine).count()
    return ahead + 1, mine


def best_per_branch(organisation: Organisation, period: Period) -> QuerySet[Person]:
    """The first of each branch of the subtree in the period (ties all shown), with
    credits above zero. One query."""
    return (
        people_with_points(organisation, period)
        .filter(points__gt=0)
        .annotate(branch_rank=Window(Rank(), partition_by=F("branch"), order_by=F("points").desc()))
        .filter(branch_rank=1)
        .select_related("branch")
        .order_by("branch__path", "name", "pk")
    )


def branch_averages(organisation: Organisation, period: Period) -> QuerySet[Organisation]:
    """The branches of the subtree with their party members, credits and the average per
    member in the period, best average first. One query."""
    members = (
        Person.objects.active()
        .party_members()
        .filter(branch=OuterRef("pk"))
        .order_by()
        .values("branch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    points = (
        CreditEntry.objects.filter(
            person__branch=OuterRef("pk"),
            person__is_active=True,
            person__status__in=Person.PARTY_STATUSES,
            earned_on__gte=period.start,
            earned_on__lt=period.end,
        )
        .order_by()
        .values("person__branch")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return (
        Organisation.objects.active()
        .branches()
        .filter(path__startswith=organisation.path)
        .annotate(
            member_count=Coalesce(Subquery(members), 0),
            points=Coalesce(
                Subquery(points, output_field=POINTS), Value(ZERO), output_field=POINTS
            ),
        )
        .order_by("path")
    )


# --- Completion --------------------------------------------------------------------


def current_assignments(organisation: Organisation, today: datetime.date) -> QuerySet:
    """Assignments that apply to the organisation (to it or above it), or that were made
    inside its subtree, due from 30 days ago on."""
    since = today - datetime.timedelta(days=30)
    return (
        Assignment.objects.filter(
            Q(organisation__path__in=path_prefixes(organisation.path))
            | Q(organisation__path__startswith=organisation.path),
            due_on__gte=since,
        )
        .select_related("material", "organisation")
        .order_by("due_on", "material__title", "pk")
    )


def expected_readers(organisation: Organisation, assignment: Assignment) -> QuerySet[Person]:
    """The party members of the organisation's subtree who have to read the material of
    the assignment (those under the organisation it was assigned to)."""
    inner = max(organisation.path, assignment.organisation.path, key=len)
    return (
        Person.objects.active()
        .party_members()
        .filter(Q(branch__path__startswith=inner) | Q(group__path__startswith=inner))
    )


def completion_by_branch(
    organisation: Organisation, material: Material, assigned_to: Organisation
) -> QuerySet[Organisation]:
    """Per branch of the subtree: members who have to read the material and how many
    did. One query."""
    # One path is a prefix of the other: the narrower one decides who has to read.
    inner = max(organisation.path, assigned_to.path, key=len)
    people = (
        Person.objects.active()
        .party_members()
        .filter(
            Q(branch__path__startswith=inner) | Q(group__path__startswith=inner),
            branch=OuterRef("pk"),
        )
    )
    expected = people.order_by().values("branch").annotate(n=Count("pk")).values("n")
    done = (
        people.filter(Exists(ReadRecord.objects.filter(person=OuterRef("pk"), material=material)))
        .order_by()
        .values("branch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Organisation.objects.active()
        .branches()
        .filter(path__startswith=organisation.path)
        .annotate(expected=Coalesce(Subquery(expected), 0), done=Coalesce(Subquery(done), 0))
        .filter(expected__gt=0)
        .order_by("path")
    )


def readers_of(people: QuerySet[Person], material: Material) -> QuerySet[Person]:
    """People with whether and when they read the material and their best quiz score."""
    best = (
        QuizAttempt.objects.filter(
            person=OuterRef("pk"), quiz__material=material, submitted_at__isnull=False
        )
        .order_by("-score")
        .values("score")[:1]
    )
    return (
        people.annotate(
            read_at=Subquery(
                ReadRecord.objects.filter(person=OuterRef("pk"), material=material).values(
                    "read_at"
                )[:1]
            ),
            best_score=Subquery(best),
        )
        .select_related("branch")
        .order_by(F("read_at").asc(nulls_first=True), "branch__path", "name", "pk")
    )
