"""Reads for the overview: an organisation's subtree summed from `MonthlyFigures` and
`meetings.ComplianceSummary`, by month, by the organisations one level down and by
supply-chain segment (the members' own figures are in `overview.people`).

Each read is a fixed number of queries whatever the size of the tree: the subtree is
`organisation.path LIKE 'prefix%'` joined to the summary rows, and the level below is
the path prefix one step longer (treebeard's fixed step length).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Length, Substr

from assessments.models import RedFlag
from branches.models import Organisation, Segment
from meetings.models import ComplianceSummary
from meetings.periods import Period

from . import periods
from .models import (
    COMPLIANCE,
    COUNTERS,
    FLOWS,
    STATES,
    YEARLY,
    MonthlyFigures,
    Refresh,
    SegmentFigures,
    SubtreeFigures,
)

Kind = Organisation.Kind
STEP = Organisation.steplen


@dataclass(frozen=True)
class Compliance:
    required: int = 0
    held: int = 0
    missing: int = 0


class Figures:
    """Summed counters (every column of `MonthlyFigures`) and the compliance of the
    as-of month, with the rates the pages show."""

    def __init__(self, values: dict | None = None, compliance: Compliance | None = None):
        values = values or {}
        for name in COUNTERS:
            setattr(self, name, values.get(name) or 0)
        self.compliance = compliance

    def __add__(self, other: Figures) -> Figures:
        summed = {name: getattr(self, name) + getattr(other, name) for name in COUNTERS}
        compliance = None
        if self.compliance or other.compliance:
            a, b = self.compliance or Compliance(), other.compliance or Compliance()
            compliance = Compliance(a.required + b.required, a.held + b.held, a.missing + b.missing)
        return Figures(summed, compliance)

    @property
    def attendance_rate(self) -> float | None:
        """Present of expected at submitted meetings, in percent."""
        if not self.attendance_expected:
            return None
        return round(100 * self.attendance_present / self.attendance_expected, 1)

    @property
    def on_time_rate(self) -> float | None:
        """Of the problems written off, those resolved by their deadline, in percent."""
        if not self.problems_written_off:
            return None
        return round(100 * self.problems_written_off_on_time / self.problems_written_off, 1)

    @property
    def compliance_rate(self) -> float | None:
        """Obligations met of those owed, in percent."""
        if self.compliance is None or not self.compliance.required:
            return None
        met = self.compliance.required - self.compliance.missing
        return round(100 * met / self.compliance.required, 1)

    @property
    def branch_grades(self) -> int:
        return self.branch_excellent + self.branch_standard + self.branch_substandard

    @property
    def appraisal_grades(self) -> int:
        return (
            self.appraisal_excellent
            + self.appraisal_qualified
            + self.appraisal_basic
            + self.appraisal_unqualified
        )


# What the trend over the year draws: summed by month over the whole year, so only
# these (and the yearly counters, on January's row) rather than every column.
TREND = (
    "meetings_held",
    "attendance_expected",
    "attendance_present",
    "visits",
    "problems_registered",
    "problems_written_off",
)


def _sums(as_of: datetime.date) -> dict:
    """Sum the flows over the period; the states only in the as-of month (they are not
    additive over months)."""
    sums = {name: Sum(name) for name in FLOWS}
    for name in STATES:
        sums[name] = Sum(name, filter=Q(month=as_of))
    return sums


def _subtree(organisation: Organisation) -> QuerySet[MonthlyFigures]:
    return MonthlyFigures.objects.filter(organisation__path__startswith=organisation.path)


def _unit(organisation: Organisation, field: str = "organisation__path") -> Substr:
    """The path of the organisation one level below `organisation` that a row's
    organisation sits under (the organisation's own path for its own rows)."""
    return Substr(field, 1, len(organisation.path) + STEP)


@dataclass
class Row:
    """One line of a breakdown: an organisation (or segment) and its figures."""

    label: str
    figures: Figures
    organisation: Organisation | None = None
    segment: Segment | None = None
    branches: int = 0
    own: bool = False  # the organisation's own records, not a child's
    url: str = ""  # the row's dashboard for the same period (set by the view)


@dataclass
class Dashboard:
    organisation: Organisation
    period: Period
    as_of: datetime.date
    ongoing: bool
    total: Figures
    trend: list[tuple[datetime.date, Figures | None]]
    children: list[Row]
    segments: list[Row]
    red_flags: list[RedFlag]
    computed_at: datetime.datetime | None
    compliance_computed_at: datetime.datetime | None
    ancestors: list[Organisation] = field(default_factory=list)


def _compliance_of(values: dict) -> Compliance | None:
    """The compliance totals of a `SubtreeFigures` row (or sum), None without rows."""
    if not values.get("compliance_rows"):
        return None
    return Compliance(
        values["compliance_required"], values["compliance_held"], values["compliance_missing"]
    )


def _subtree_sums(as_of: datetime.date) -> dict:
    """`_sums` of `SubtreeFigures`, with the compliance of the as-of month."""
    sums = _sums(as_of)
    for name in COMPLIANCE:
        sums[name] = Sum(name, filter=Q(month=as_of))
    return sums


def _difference(whole: Figures, parts: list[Figures]) -> Figures:
    """What `whole` holds beyond `parts` (flows, states and compliance)."""
    values = {
        name: getattr(whole, name) - sum(getattr(part, name) for part in parts)
        for name in FLOWS + STATES
    }
    compliance = None
    if whole.compliance is not None:
        below = [part.compliance for part in parts if part.compliance is not None]
        compliance = Compliance(
            whole.compliance.required - sum(c.required for c in below),
            whole.compliance.held - sum(c.held for c in below),
            whole.compliance.missing - sum(c.missing for c in below),
        )
    return Figures(values, compliance)


def _by_segment(
    organisation: Organisation, period: Period, as_of: datetime.date, total: Figures
) -> dict[int | None, Figures]:
    """segment pk -> the period's figures of the subtree's branches of that segment.
    Above the branches, from `SegmentFigures` (one query); a branch's or a group's
    subtree is all of one branch, so its whole total (a group's: one query for its
    branch's segment)."""
    if organisation.kind in (Kind.COMMITTEE, Kind.GENERAL_BRANCH):
        return {
            row.pop("segment"): Figures(row)
            for row in SegmentFigures.objects.filter(
                organisation=organisation, month__gte=period.start, month__lt=period.end
            )
            .order_by()
            .values("segment")
            .annotate(**_sums(as_of))
        }
    figures = Figures({name: getattr(total, name) for name in FLOWS + STATES})
    if organisation.kind == Kind.BRANCH:
        return {organisation.segment_id: figures}
    branch = Organisation.objects.filter(path=organisation.path[:-STEP]).values("segment").first()
    return {branch["segment"]: figures} if branch else {}


def dashboard(organisation: Organisation, period: Period, *, today: datetime.date) -> Dashboard:
    """The subtree's figures for the period, read from the maintained summaries: the
    organisation's rows of the year and its children's of the period, never the
    tree's. Seven queries whatever the tree: the year by month, the year's last
    refresh, the children, the period by child, the period by segment (not for a
    branch; for a group, its branch's segment), the segments and the red flags."""
    as_of = periods.as_of_month(period, today)
    year = period.start.year
    months_in_period = set(periods.months_in(period))

    # 1. The subtree by month over the year: the trend, the period's total (flows
    # over its months, states and compliance of its as-of month) and the year's
    # grades (on January's row).
    by_month = {
        row.pop("month"): row
        for row in SubtreeFigures.objects.filter(
            organisation=organisation,
            month__gte=datetime.date(year, 1, 1),
            month__lt=datetime.date(year + 1, 1, 1),
        ).values("month", *COUNTERS, *COMPLIANCE, "compliance_computed_at")
    }
    # When the figures were last confirmed: the year's last full refresh.
    computed_at = Refresh.objects.filter(year=year).values_list("finished_at", flat=True).first()
    trend = []
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        trend.append((month, Figures(by_month.get(month)) if month <= today else None))
    as_of_row = by_month.get(as_of, {})
    totals = {
        name: sum((row[name] for month, row in by_month.items() if month in months_in_period), 0)
        for name in FLOWS
    }
    totals.update({name: as_of_row.get(name, 0) for name in STATES})
    totals.update({name: sum(row[name] for row in by_month.values()) for name in YEARLY})
    total = Figures(totals, _compliance_of(as_of_row))

    # 2. The children themselves.
    children = list(
        Organisation.objects.filter(
            path__startswith=organisation.path, depth=organisation.depth + 1
        ).select_related("segment")
    )
    # 3. The period by child (its own subtree); what the total holds beyond them is
    # the organisation's own records.
    by_child, own_compliance_rows = {}, as_of_row.get("compliance_rows", 0)
    for row in (
        SubtreeFigures.objects.filter(
            organisation__in=[child.pk for child in children],
            month__gte=period.start,
            month__lt=period.end,
        )
        .order_by()
        .values("organisation")
        .annotate(**_subtree_sums(as_of))
    ):
        by_child[row.pop("organisation")] = Figures(row, _compliance_of(row))
        own_compliance_rows -= row["compliance_rows"] or 0
    rows = []
    own = _difference(total, list(by_child.values()))
    if not own_compliance_rows:  # the organisation has no compliance row of its own
        own.compliance = None
    if any(getattr(own, name) for name in FLOWS + STATES) or own.compliance is not None:
        rows.append(Row(organisation.name, own, organisation, own=True))
    for child in children:
        figures = by_child.get(child.pk) or Figures()
        rows.append(Row(child.name, figures, child, segment=child.segment))

    # 4. The period by segment (of the branch a record belongs to).
    by_segment = _by_segment(organisation, period, as_of, total)
    segment_rows = [
        Row(segment.name, by_segment.get(segment.pk) or Figures(), segment=segment)
        for segment in Segment.objects.all()  # 5.
    ]
    if None in by_segment:
        segment_rows.append(Row("", by_segment[None]))

    # 6. The red flags of the period's months held in the subtree.
    red_flags = list(
        RedFlag.objects.filter(
            month__gte=period.start,
            month__lt=period.end,
            branch__path__startswith=organisation.path,
        )
        .select_related("branch")
        .order_by("month")
    )
    return Dashboard(
        organisation=organisation,
        period=period,
        as_of=as_of,
        ongoing=period.contains(today),
        total=total,
        trend=trend,
        children=rows,
        segments=segment_rows,
        red_flags=red_flags,
        computed_at=computed_at,
        compliance_computed_at=as_of_row.get("compliance_computed_at"),
    )


def ancestors(organisation: Organisation) -> list[Organisation]:
    """The organisations above, root first (one query)."""
    paths = [organisation.path[:end] for end in range(STEP, len(organisation.path), STEP)]
    if not paths:
        return []
    return list(Organisation.objects.filter(path__in=paths).order_by("path"))


# --- Segments --------------------------------------------------------------------------


@dataclass
class SegmentColumn:
    segment: Segment | None
    label: str
    figures: Figures
    branches: list[Row]
    branch_count: int = 0

    @property
    def hidden(self) -> int:
        return self.branch_count - len(self.branches)


BRANCHES_PER_SEGMENT = 25


def segments(organisation: Organisation, period: Period, *, today: datetime.date) -> dict:
    """The subtree's branches side by side by segment: each segment's totals (a
    branch with its party groups), and its branches (the first
    `BRANCHES_PER_SEGMENT` by name when there are more). Four queries: the branches,
    their figures, their compliance and the segments."""
    as_of = periods.as_of_month(period, today)
    branches = list(
        Organisation.objects.filter(path__startswith=organisation.path, kind=Kind.BRANCH)
        .order_by("name", "path")
        .values_list("pk", "path", "name", "segment_id")
    )
    figures = {
        row.pop("branch"): row
        for row in _subtree(organisation)
        .filter(month__gte=period.start, month__lt=period.end, branch__isnull=False)
        .order_by()
        .values("branch")
        .annotate(**_sums(as_of))
    }
    # A group's compliance row counts for its branch: the branch path is the group's
    # path one step shorter.
    branch_path = Case(
        When(
            organisation__kind=Kind.GROUP,
            then=Substr("organisation__path", 1, Length("organisation__path") - STEP),
        ),
        default=F("organisation__path"),
        output_field=CharField(),
    )
    compliance = {
        row["branch_path"]: Compliance(row["required"], row["held"], row["missing"])
        for row in ComplianceSummary.objects.filter(
            organisation__path__startswith=organisation.path,
            organisation__kind__in=(Kind.BRANCH, Kind.GROUP),
            month=as_of,
        )
        .annotate(branch_path=branch_path)
        .order_by()
        .values("branch_path")
        .annotate(required=Sum("required"), held=Sum("held"), missing=Sum("missing"))
    }
    columns = {
        segment.pk: SegmentColumn(segment, segment.name, Figures(), [])
        for segment in Segment.objects.all()
    }
    for pk, path, name, segment_id in branches:
        column = columns.get(segment_id)
        if column is None:
            column = columns[None] = columns.get(None) or SegmentColumn(None, "", Figures(), [])
        branch_figures = Figures(figures.get(pk), compliance.get(path))
        column.figures = column.figures + branch_figures
        column.branch_count += 1
        if len(column.branches) < BRANCHES_PER_SEGMENT:
            column.branches.append(
                Row(name, branch_figures, Organisation(pk=pk, path=path, name=name))
            )
    return {"as_of": as_of, "columns": list(columns.values())}
