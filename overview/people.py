"""People's own figures on the overview: a branch's party members side by side, and one
person's month by month. Read live from the records (a branch is small, a person's
year a few hundred rows), in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from branches.models import Organisation
from liaison.models import Visit
from meetings.models import Attendance, Meeting
from meetings.periods import Period
from members.models import Person
from study.models import CreditEntry

from . import periods

Kind = Organisation.Kind


@dataclass
class MemberRow:
    person: Person
    expected: int = 0
    present: int = 0
    visits: int = 0
    credits: Decimal = Decimal(0)

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None


def _period_range(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _meeting_range(period: Period) -> Q:
    # held_at is a datetime: compare it with the period's days in the portal's zone.
    return Q(meeting__held_at__date__gte=period.start, meeting__held_at__date__lt=period.end)


def members(organisation: Organisation, period: Period) -> list[MemberRow]:
    """The party members of a branch (or party group) with their own figures in the
    period: attendance at submitted meetings, visits filed, study credits. Four
    queries whatever the branch's size; live, since a branch is small."""
    if organisation.kind == Kind.GROUP:
        people = Person.objects.filter(group=organisation)
    else:
        people = Person.objects.filter(branch=organisation)
    people = list(people.active().party_members().in_status_order())
    rows = {person.pk: MemberRow(person) for person in people}
    if not rows:
        return []
    for row in (
        Attendance.objects.filter(
            _meeting_range(period),
            person_id__in=rows,
            meeting__status=Meeting.Status.SUBMITTED,
        )
        .order_by()
        .values("person_id")
        .annotate(
            expected=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT))
        )
    ):
        rows[row["person_id"]].expected = row["expected"]
        rows[row["person_id"]].present = row["present"]
    for figure, person_id, value in _visits_and_credits(period, list(rows), per="person"):
        setattr(rows[person_id], figure, value)
    return list(rows.values())


def _visits_and_credits(
    period: Period, person_ids: list[int], *, per: Literal["person", "month"]
) -> Iterator[tuple[str, int | datetime.date, int | Decimal]]:
    """(figure, person id or month, value): the visits filed and the study credits
    earned in the period by the people, per person or per month. Two queries."""
    for figure, model, person_field, date_field, aggregate in (
        ("visits", Visit, "visitor_id", "visited_on", Count("pk")),
        ("credits", CreditEntry, "person_id", "earned_on", Sum("points")),
    ):
        records = model.objects.filter(
            _period_range(period, date_field), **{f"{person_field}__in": person_ids}
        )
        key = F(person_field) if per == "person" else TruncMonth(date_field)
        grouped = records.order_by().annotate(key=key).values_list("key")
        for who_or_when, value in grouped.annotate(value=aggregate):
            yield figure, who_or_when, value


@dataclass
class PersonMonth:
    month: datetime.date
    expected: int = 0
    present: int = 0
    visits: int = 0
    credits: Decimal = Decimal(0)


def person_figures(person: Person, period: Period, *, today: datetime.date) -> dict:
    """One person's attendance, visits and credits by month over the period's year,
    their totals for the period, and the meetings of the period they were expected
    at. Four queries."""
    year = period.start.year
    year_period = Period("year", datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    months = {
        datetime.date(year, n, 1): PersonMonth(datetime.date(year, n, 1))
        for n in range(1, 13)
        if datetime.date(year, n, 1) <= today
    }
    attendance = Attendance.objects.filter(person=person, meeting__status=Meeting.Status.SUBMITTED)
    for row in (
        attendance.filter(_meeting_range(year_period))
        .annotate(m=TruncMonth("meeting__held_at"))
        .order_by()
        .values("m")
        .annotate(
            expected=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT))
        )
    ):
        month = months.get(row["m"].date().replace(day=1))
        if month:
            month.expected, month.present = row["expected"], row["present"]
    for figure, m, value in _visits_and_credits(year_period, [person.pk], per="month"):
        if m in months:
            setattr(months[m], figure, value)
    in_period = [months[m] for m in periods.months_in(period) if m in months]
    total = PersonMonth(period.start)
    for month in in_period:
        total.expected += month.expected
        total.present += month.present
        total.visits += month.visits
        total.credits += month.credits
    meetings = list(
        attendance.filter(_meeting_range(period))
        .select_related("meeting__organisation")
        .order_by("meeting__held_at", "pk")
    )
    return {
        "months": list(months.values()),
        "total": total,
        "rate": round(100 * total.present / total.expected, 1) if total.expected else None,
        "attendances": meetings,
    }
