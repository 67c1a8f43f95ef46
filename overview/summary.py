"""Keeping `MonthlyFigures`: one row per organisation and month with the counters of
the organisation's own records.

`refresh(year)` recomputes a year with one set-based GROUP BY (organisation, month)
per source (meetings, attendance, visits, opinions, the problem ledger, member
development, study credits, assessments), about twenty queries whatever the size of
the tree, then compares with the stored rows and upserts only the new or changed ones,
and deletes the rows nothing produces any more. It runs hourly (beat:
`overview.tasks.refresh_overview_figures`), at the end of the demo loader and at the end
of the scale generator; the pages say "figures as of" the time of the last full run
(`Refresh`). The subtree and segment totals follow in the same transaction
(`overview.rollup`).
"""

from __future__ import annotations

import datetime
import io
import time
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.models import (
    AppraisalEntry,
    AppraisalGrade,
    AssessmentState,
    BranchAssessment,
    Grade,
)
from branches.models import Organisation
from development.models import Candidacy, Stage
from liaison.models import Opinion, Problem, ProblemState, Visit
from meetings.models import Attendance, Meeting, MeetingKind

# The months a refresh covers and the day a month's state figures describe (today in
# the current month, else its last day) are those of the compliance summary.
from meetings.summary import as_of, months_of
from study.models import CreditEntry

from .models import COUNTERS, MonthlyFigures, Refresh
from .rollup import roll_up

_LOCK_KEY = 0x6F766572  # "over": one refresh at a time
STEP = Organisation.steplen
BATCH_SIZE = 2000
_RESOLVED = (ProblemState.RESOLVED, ProblemState.FEEDBACK_GIVEN, ProblemState.WRITTEN_OFF)

Key = tuple[int, datetime.date]


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return datetime.date(value.year, value.month, 1)


class _Rows:
    """(organisation, month) -> counters, filled source by source."""

    def __init__(self, months: list[datetime.date]) -> None:
        self.months = set(months)
        self.counters: dict[Key, dict[str, int | Decimal]] = defaultdict(dict)

    def add(self, rows: Iterable[dict], *, org: str = "org", month: str = "m") -> None:
        for row in rows:
            key_month = _month(row.pop(month))
            if key_month not in self.months:
                continue  # dated in a month not yet begun: counted when it begins
            counters = self.counters[(row.pop(org), key_month)]
            for name, value in row.items():
                if value:
                    counters[name] = counters.get(name, 0) + value


def _by_month(field: str):
    # Months in the portal's time zone (TruncMonth converts an aware datetime first).
    return TruncMonth(field, output_field=DateField())


def _grouped(queryset: QuerySet, org: str, month_field: str, **aggregates) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(org=F(org), m=_by_month(month_field))
        .values("org", "m")
        .annotate(**aggregates)
    )


def _bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def refresh(
    year: int,
    organisation_ids: Iterable[int] | None = None,
    *,
    now: datetime.datetime | None = None,
) -> int:
    """Recompute the figures of `year` (its begun months) for the given organisations
    (every one when None, which also records the run in `Refresh`); returns the rows
    written (new or changed). Idempotent: a second run finds every row equal and
    writes none. Upserts, so it never fails on a row another run just wrote."""
    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = months_of(year, today)
    if not months:
        return 0
    ids = None if organisation_ids is None else list(organisation_ids)
    start, end = _bounds(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def mine(queryset: QuerySet, org_field: str) -> QuerySet:
        return queryset if ids is None else queryset.filter(**{f"{org_field}__in": ids})

    rows = _Rows(months)
    # -- party life -------------------------------------------------------------------
    counted = Q(is_quorate=True)
    meetings = mine(
        Meeting.objects.submitted().filter(held_at__gte=start, held_at__lt=end), "organisation_id"
    )
    rows.add(
        _grouped(
            meetings,
            "organisation_id",
            "held_at",
            meetings_held=Count("pk", filter=counted),
            lessons_held=Count("pk", filter=counted & Q(kind=MeetingKind.PARTY_LESSON)),
            studies_held=Count("pk", filter=counted & Q(kind=MeetingKind.CENTRAL_STUDY)),
        )
    )
    attendance = mine(
        Attendance.objects.filter(
            meeting__status=Meeting.Status.SUBMITTED,
            meeting__held_at__gte=start,
            meeting__held_at__lt=end,
        ),
        "meeting__organisation_id",
    )
    rows.add(
        _grouped(
            attendance,
            "meeting__organisation_id",
            "meeting__held_at",
            attendance_expected=Count("pk"),
            attendance_present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        )
    )
    # -- liaison --------------------------------------------------------------------------
    visits = mine(
        Visit.objects.filter(visited_on__gte=first, visited_on__lte=last), "organisation_id"
    )
    rows.add(_grouped(visits, "organisation_id", "visited_on", visits=Count("pk")))
    opinions = mine(
        Opinion.objects.filter(raised_on__gte=first, raised_on__lte=last), "organisation_id"
    )
    rows.add(_grouped(opinions, "organisation_id", "raised_on", opinions=Count("pk")))
    problems = mine(Problem.objects.all(), "organisation_id")
    rows.add(
        _grouped(
            problems.filter(registered_at__gte=start, registered_at__lt=end),
            "organisation_id",
            "registered_at",
            problems_registered=Count("pk"),
        )
    )
    rows.add(
        _grouped(
            problems.filter(state__in=_RESOLVED, resolved_at__gte=start, resolved_at__lt=end),
            "organisation_id",
            "resolved_at",
            problems_resolved=Count("pk"),
        )
    )
    rows.add(
        _grouped(
            problems.filter(
                state=ProblemState.WRITTEN_OFF, written_off_at__gte=start, written_off_at__lt=end
            ),
            "organisation_id",
            "written_off_at",
            problems_written_off=Count("pk"),
            problems_written_off_on_time=Count(
                "pk", filter=Q(resolved_at__date__lte=F("deadline"))
            ),
        )
    )
    _add_problem_states(rows, problems, months, today, start)
    # -- member development -------------------------------------------------------------
    for field, counter in (
        ("applied_on", "applicants"),
        ("activist_on", "activists"),
        ("candidate_on", "candidates"),
        ("admitted_on", "admitted"),
    ):
        candidacies = Candidacy.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
        if counter == "admitted":  # a cancelled probation does not count as developed
            candidacies = candidacies.exclude(stage=Stage.CANCELLED)
        rows.add(
            _grouped(mine(candidacies, "branch_id"), "branch_id", field, **{counter: Count("pk")})
        )
    # -- study credits, by the current branch of whoever earned them -------------------
    credits = mine(
        CreditEntry.objects.filter(
            earned_on__gte=first, earned_on__lte=last, person__branch__isnull=False
        ),
        "person__branch_id",
    )
    rows.add(_grouped(credits, "person__branch_id", "earned_on", credits=Sum("points")))
    # -- the year's assessments, on the January row -------------------------------------
    _add_assessments(rows, year, mine)
    # -- write -----------------------------------------------------------------------------
    branches = _branches(ids)
    fresh = {
        key: (branches.get(key[0]), *(counters.get(name, 0) for name in COUNTERS))
        for key, counters in rows.counters.items()
        if any(counters.values()) and key[0] in branches
    }
    with transaction.atomic():
        _serialise_refreshes()
        # Only what changed is written: the hourly run over a quiet hour writes next to
        # nothing, instead of rewriting every row of the year (and bloating the table).
        existing = {
            (org, month): (pk, tuple(values))
            for pk, org, month, *values in mine(
                MonthlyFigures.objects.filter(month__in=months), "organisation_id"
            ).values_list("pk", "organisation_id", "month", "branch", *COUNTERS)
        }
        new = [key for key in sorted(fresh) if key not in existing]
        changed = [
            key for key in sorted(fresh) if key in existing and existing[key][1] != fresh[key]
        ]
        _insert(new, fresh, now)
        MonthlyFigures.objects.bulk_create(
            [_figures(key, fresh[key], now) for key in changed],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["organisation", "month"],
            update_fields=["branch", *COUNTERS, "computed_at"],
        )
        # A row nothing produced any more (a meeting moved to another month, a visit
        # deleted) goes, rather than keep old counts.
        stale = [pk for key, (pk, _values) in existing.items() if key not in fresh]
        for start_at in range(0, len(stale), BATCH_SIZE * 5):
            MonthlyFigures.objects.filter(
                pk__in=stale[start_at : start_at + BATCH_SIZE * 5]
            ).delete()
        # The subtrees' totals follow, from the rows just written.
        roll_up(months, now)
        if ids is None:
            Refresh.objects.update_or_create(
                year=year,
                defaults={
                    "finished_at": now,
                    "rows": len(fresh),
                    "written": len(new) + len(changed),
                    "deleted": len(stale),
                    "seconds": round(time.monotonic() - started, 3),
                },
            )
    return len(new) + len(changed)


def _figures(key: Key, values: tuple, now: datetime.datetime) -> MonthlyFigures:
    org_id, month = key
    return MonthlyFigures(
        organisation_id=org_id,
        month=month,
        branch_id=values[0],
        computed_at=now,
        **dict(zip(COUNTERS, values[1:], strict=True)),
    )


_COLUMNS = ("organisation_id", "month", "branch_id", *COUNTERS, "computed_at")


def _insert(keys: list[Key], fresh: dict[Key, tuple], now: datetime.datetime) -> None:
    """Insert monthly figures known to be new (read under the lock, so nobody else
    adds them)."""
    _copy(MonthlyFigures, _COLUMNS, ((*key, *fresh[key], now) for key in keys))


def _copy(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert rows (tuples in the order of `columns`). On PostgreSQL with COPY: the
    first run after the scale generator writes about a hundred thousand rows, several
    times faster than building a model instance and thirty-odd parameters for each."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer
        )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime.date):  # and datetimes
        return value.isoformat()
    return str(value)


def _add_problem_states(
    rows: _Rows,
    problems: QuerySet,
    months: list[datetime.date],
    today: datetime.date,
    start: datetime.datetime,
) -> None:
    """Open and overdue problems as of each month's last day (today in the current
    month), in one pass over the problems: one pair of filtered counts per month.

    Read from the dates, so a past month shows what was open then; a problem reopened
    after unsatisfied feedback loses its first resolution date and counts as open
    throughout (the ledger keeps no other)."""
    aggregates = {}
    for index, month in enumerate(months):
        on = as_of(month, today)
        open_then = Q(registered_at__date__lte=on) & (
            Q(resolved_at__isnull=True) | Q(resolved_at__date__gt=on)
        )
        aggregates[f"open_{index}"] = Count("pk", filter=open_then)
        aggregates[f"overdue_{index}"] = Count("pk", filter=open_then & Q(deadline__lt=on))
    # Only problems still open at the year's start or registered since can count.
    candidates = problems.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
    for row in candidates.order_by().values("organisation_id").annotate(**aggregates):
        org_id = row["organisation_id"]
        for index, month in enumerate(months):
            opened, overdue = row[f"open_{index}"], row[f"overdue_{index}"]
            if opened or overdue:
                counters = rows.counters[(org_id, month)]
                counters["problems_open"] = opened
                counters["problems_overdue"] = overdue


# A grade's counter is named after it: branch_excellent, appraisal_basic, ...
_BRANCH_GRADES = {grade.value: f"branch_{grade.value}" for grade in Grade}
_APPRAISAL_GRADES = {grade.value: f"appraisal_{grade.value}" for grade in AppraisalGrade}


def _add_assessments(rows: _Rows, year: int, mine) -> None:
    """The year's branch standards grades (approved ones; the others as pending) and
    the democratic appraisal's decided grades, on each branch's January row."""
    january = datetime.date(year, 1, 1)
    if january not in rows.months:
        return
    assessments = mine(BranchAssessment.objects.filter(scheme__year=year), "branch_id")
    for row in assessments.order_by().values("branch_id", "grade", "state").annotate(n=Count("pk")):
        approved = row["state"] == AssessmentState.APPROVED
        counter = _BRANCH_GRADES.get(row["grade"]) if approved else "branch_pending"
        if counter:
            counters = rows.counters[(row["branch_id"], january)]
            counters[counter] = counters.get(counter, 0) + row["n"]
    entries = mine(
        AppraisalEntry.objects.filter(appraisal__scheme__year=year).exclude(decided_grade=""),
        "appraisal__branch_id",
    )
    for row in (
        entries.order_by().values("appraisal__branch_id", "decided_grade").annotate(n=Count("pk"))
    ):
        counter = _APPRAISAL_GRADES.get(row["decided_grade"])
        if counter:
            counters = rows.counters[(row["appraisal__branch_id"], january)]
            counters[counter] = counters.get(counter, 0) + row["n"]


def _branches(ids: list[int] | None) -> dict[int, int | None]:
    """organisation id -> the branch it belongs to (itself for a branch, the parent
    for a party group, None above); one query over the organisations (for some ids:
    those and their parents)."""
    organisations = Organisation.objects.order_by()
    if ids is not None:
        paths = organisations.filter(pk__in=ids).values_list("path", flat=True)
        parents = {path[: -Organisation.steplen] for path in paths}
        organisations = organisations.filter(Q(pk__in=ids) | Q(path__in=parents))
    found = list(organisations.values_list("pk", "path", "kind"))
    branch_at = {path: pk for pk, path, kind in found if kind == Organisation.Kind.BRANCH}
    result: dict[int, int | None] = {}
    for pk, path, kind in found:
        if kind == Organisation.Kind.BRANCH:
            result[pk] = pk
        elif kind == Organisation.Kind.GROUP:
            result[pk] = branch_at.get(path[: -Organisation.steplen])
        else:
            result[pk] = None
    if ids is not None:
        wanted = set(ids)
        result = {pk: branch for pk, branch in result.items() if pk in wanted}
    return result


def _serialise_refreshes() -> None:
    """One refresh at a time (a transaction-level advisory lock on PostgreSQL), so
    two runs never delete each other's fresh rows as stale."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def refresh_all(now: datetime.datetime | None = None) -> int:
    """Everyone, the current year (and the last one in January, when December's
    records are still coming in)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    return sum(refresh(year, now=now) for year in years)


def refresh_years(first: datetime.date, now: datetime.datetime | None = None) -> int:
    """Every year from the one containing `first` to the current one (the demo's and
    the generated data set's span)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return sum(refresh(year, now=now) for year in range(first.year, today.year + 1))
