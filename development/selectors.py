"""Reads for the development pages, panels and reminders: what is next for each
record (with its due date), the pipeline of a branch, the counts of a subtree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from members.access import Scope

from .models import OPEN_STAGES, Candidacy, MentorPair, Stage
from .rules import Code, Rules, assessments_needed, candidate_ready_on


class Step:
    """The legal steps, by the name `development_advance` knows them."""

    TALK = "talk"
    ACTIVIST = "activist"
    ASSESS = "assess"
    CANDIDATE = "candidate"
    REVIEW = "review"
    TRAIN = "train"
    INTRODUCERS = "introducers"
    ADMIT = "admit"
    APPROVE = "approve"
    CONCLUDE = "conclude"
    WITHDRAW = "withdraw"

    LABELS = {
        TALK: _("Talk with the applicant"),
        ACTIVIST: _("Name as activist"),
        ASSESS: _("Half-yearly assessment"),
        CANDIDATE: _("Name as development candidate"),
        REVIEW: _("Political review"),
        TRAIN: _("Concentrated training"),
        INTRODUCERS: _("Name the introducers"),
        ADMIT: _("Admission by the branch general meeting"),
        APPROVE: _("Approval by the higher committee"),
        CONCLUDE: _("Decision at the end of the probation"),
        WITHDRAW: _("Withdraw the record"),
    }


@dataclass(frozen=True)
class NextStep:
    step: str
    due: datetime.date | None = None  # a deadline
    earliest: datetime.date | None = None  # not before this day
    today: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(Step.LABELS[self.step])

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.today is not None and self.due < self.today

    @property
    def waiting(self) -> bool:
        return self.earliest is not None and self.today is not None and self.earliest > self.today


def with_progress(queryset: QuerySet[Candidacy]) -> QuerySet[Candidacy]:
    """Annotate what `next_step` needs, in the same query as the rows."""
    return queryset.annotate(
        n_assessments=Count("assessments", distinct=True),
        last_assessed=Max("assessments__assessed_on"),
        n_introducers=Count("introducers", distinct=True),
        n_contacts=Count("contacts", distinct=True),
    )


def _progress(candidacy: Candidacy) -> tuple[int, datetime.date | None, int]:
    if hasattr(candidacy, "n_assessments"):
        return candidacy.n_assessments, candidacy.last_assessed, candidacy.n_introducers
    dates = list(candidacy.assessments.values_list("assessed_on", flat=True))
    return len(dates), max(dates, default=None), candidacy.introducers.count()


def next_step(candidacy: Candidacy, rules: Rules, today: datetime.date) -> NextStep | None:
    """The next legal step of an open record, with its deadline or earliest day."""
    n_assessments, last_assessed, n_introducers = _progress(candidacy)
    stage = candidacy.stage
    if stage == Stage.APPLICANT:
        if not candidacy.talked_on:
            return NextStep(
                Step.TALK, due=rules[Code.TALK_WITHIN].after(candidacy.applied_on), today=today
            )
        return NextStep(Step.ACTIVIST, today=today)
    if stage == Stage.ACTIVIST:
        ready = candidate_ready_on(candidacy, rules)
        next_assessment = rules[Code.ASSESSMENT_INTERVAL].after(
            last_assessed or candidacy.activist_on
        )
        needed = assessments_needed(candidacy, rules, max(today, ready))
        if n_assessments < needed or next_assessment <= ready:
            return NextStep(Step.ASSESS, due=next_assessment, today=today)
        return NextStep(Step.CANDIDATE, earliest=ready, today=today)
    if stage == Stage.CANDIDATE:
        if not candidacy.reviewed_on:
            return NextStep(Step.REVIEW, today=today)
        if not candidacy.training_to:
            return NextStep(Step.TRAIN, today=today)
        if n_introducers < rules[Code.INTRODUCERS].value:
            return NextStep(Step.INTRODUCERS, today=today)
        return NextStep(Step.ADMIT, today=today)
    if stage == Stage.PROBATIONARY:
        if not candidacy.approved_on:
            return NextStep(
                Step.APPROVE,
                due=rules[Code.APPROVAL_WITHIN].after(candidacy.admitted_on),
                today=today,
            )
        return NextStep(
            Step.CONCLUDE,
            due=candidacy.probation_ends_on,
            earliest=candidacy.probation_ends_on,
            today=today,
        )
    return None


def visible_candidacies(scope: Scope) -> QuerySet[Candidacy]:
    """Records in the user's subtrees, and the user's own."""
    inside = scope.within(Candidacy.objects.all(), "branch__path")
    if scope.person is None or scope.sees_all:
        return inside
    return Candidacy.objects.filter(Q(pk__in=inside.values("pk")) | Q(person=scope.person))


def pipeline(organisation: Organisation, rules: Rules, today: datetime.date):
    """The open records of the subtree, per stage, each with its next step."""
    rows = with_progress(
        Candidacy.objects.open()
        .filter(branch__path__startswith=organisation.path)
        .select_related("person", "branch")
    ).order_by("person__name", "pk")
    by_stage: dict[str, list] = {stage: [] for stage in OPEN_STAGES}
    for row in rows:
        row.next = next_step(row, rules, today)
        by_stage[row.stage].append(row)
    return [(Stage(stage), by_stage[stage]) for stage in OPEN_STAGES]


def developed_per_year(organisation: Organisation) -> list[tuple[int, int]]:
    """(year, members admitted by a branch general meeting that year) over the subtree."""
    rows = (
        Candidacy.objects.filter(
            branch__path__startswith=organisation.path, admitted_on__isnull=False
        )
        .exclude(stage=Stage.CANCELLED)
        .annotate(year=ExtractYear("admitted_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(row["year"], row["n"]) for row in rows]


def stage_counts(organisation: Organisation) -> dict[str, int]:
    rows = (
        Candidacy.objects.open()
        .filter(branch__path__startswith=organisation.path)
        .values("stage")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(OPEN_STAGES, 0)
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


def mentor_pairs(organisation: Organisation) -> QuerySet[MentorPair]:
    return (
        MentorPair.objects.filter(branch__path__startswith=organisation.path)
        .select_related("mentor", "mentee", "branch")
        .order_by("ended_on", "-started_on", "pk")
    )
