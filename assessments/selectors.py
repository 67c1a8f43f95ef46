"""Reads for assessments: the review queue, the year's results, the recognition
ranking and the panels on the branch and member pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from branches.models import Organisation
from members.access import Scope

from . import indicators
from .models import (
    Appraisal,
    AppraisalEntry,
    AppraisalGrade,
    BranchAssessment,
    PostStar,
    RedFlag,
    RedFlagWeight,
    Scheme,
    Score,
)
from .services import first_of_month, plain


def visible_assessments(scope: Scope) -> QuerySet[BranchAssessment]:
    return scope.within(BranchAssessment.objects.all(), "branch__path")


def assessments_for_list(queryset: QuerySet[BranchAssessment]) -> QuerySet[BranchAssessment]:
    return queryset.select_related("scheme", "branch")


def scores_for_display(assessment: BranchAssessment) -> QuerySet[Score]:
    return assessment.scores.select_related("criterion__group").order_by(
        "criterion__group__order", "criterion__group_id", "criterion__order", "criterion_id")


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year).first()


# --- Mobile red flag --------------------------------------------------------------------


@dataclass(frozen=True)
class RankedBranch:
    branch: Organisation
    score: Decimal
    detail: str


def _month_end(month: datetime.date) -> datetime.date:
    nxt = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def red_flag_ranking(*, month: datetime.date,
                     branches: QuerySet[Organisation] | None = None) -> list[RankedBranch]:
    """Every active branch scored over the month by the enabled red-flag rule rows,
    best first (ties: the tree order). Score = Σ weight × min(value / target, 1)."""
    month = first_of_month(month)
    end = _month_end(month)
    rules = list(RedFlagWeight.objects.filter(is_enabled=True))
    if branches is None:
        branches = Organisation.objects.active().branches()
    branches = list(branches.order_by("path"))
    if not rules or not branches:
        return []
    scores = {b.pk: Decimal(0) for b in branches}
    details: dict[int, list[str]] = {b.pk: [] for b in branches}
    for rule in rules:
        readings = indicators.read(rule.indicator, branches, start=month, end=end)
        for branch in branches:
            reading = readings.get(branch.pk)
            value = reading.value if reading is not None else None
            part = (Decimal(0) if value is None
                    else rule.weight * min(value / rule.target, Decimal(1)))
            scores[branch.pk] += part
            details[branch.pk].append(f"{rule.get_indicator_display()} "
                                      f"{'—' if value is None else plain(value)}")
    ranked = [RankedBranch(b, scores[b.pk].quantize(Decimal("0.01")), "; ".join(details[b.pk]))
              for b in branches]
    ranked.sort(key=lambda row: -row.score)  # stable: ties keep the tree order
    return ranked


# --- Panels -----------------------------------------------------------------------------


def branch_panel(organisation: Organisation) -> dict:
    """The branch's latest assessments, red flags and post stars. Three queries."""
    return {
        "assessments": list(BranchAssessment.objects.filter(branch=organisation)
                            .select_related("scheme").order_by("-scheme__year")[:3]),
        "red_flags": list(RedFlag.objects.filter(branch=organisation).order_by("-month")[:12]),
        "post_stars": list(PostStar.objects.filter(branch=organisation)
                           .select_related("person").order_by("-month")[:12]),
    }


def member_stars(person) -> list[PostStar]:
    return list(PostStar.objects.filter(person=person).select_related("branch")
                .order_by("-month"))


# --- Tallies ----------------------------------------------------------------------------


def appraisal_tallies(queryset: QuerySet[Appraisal]) -> QuerySet[Appraisal]:
    """Each appraisal with its counts per decided (else proposed) grade: one query."""
    annotations = {"member_count": Count("entries")}
    for grade in AppraisalGrade.values:
        annotations[f"n_{grade}"] = Count(
            "entries", filter=Q(entries__decided_grade=grade)
            | Q(entries__decided_grade="", entries__proposed_grade=grade))
    return queryset.select_related("scheme", "branch").annotate(**annotations)


def committee_tally(queryset: QuerySet[AppraisalEntry]) -> dict[str, int]:
    """Decided grades over many appraisals (the committee's year)."""
    rows = queryset.exclude(decided_grade="").values("decided_grade").annotate(n=Count("pk"))
    return {row["decided_grade"]: row["n"] for row in rows.order_by()}


def appraisal_entries(appraisal: Appraisal) -> list[AppraisalEntry]:
    """The appraisal's entries for its page, with each entry's number of votes cast."""
    return list(appraisal.entries.select_related("person").annotate(vote_count=Count("votes"))
                .order_by("person__name", "pk"))


def tally_row(appraisal: Appraisal) -> dict:
    """One branch's line of the tally (from `appraisal_tallies`), with the excellent
    limit of the year's rule."""
    from .services import excellent_limit

    limit = excellent_limit(scheme=appraisal.scheme, members=appraisal.member_count)
    excellent = getattr(appraisal, f"n_{AppraisalGrade.EXCELLENT}")
    return {"appraisal": appraisal, "members": appraisal.member_count,
            "counts": [getattr(appraisal, f"n_{value}") for value in AppraisalGrade.values],
            "limit": limit, "too_many_excellent": excellent > limit}
