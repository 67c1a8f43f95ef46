"""A branch's assessment: opened, computed from the indicators, scored by hand, recorded."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from supplychain_party.concurrency import check_version, version_token

from .. import indicators
from ..models import AssessmentEvent, AssessmentState, BranchAssessment, Scheme, Score
from .numbers import _q, plain
from .schemes import grade_for

State = AssessmentState
Action = AssessmentEvent.Action
Kind = Organisation.Kind


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@transaction.atomic
def assessment_open(*, scheme: Scheme, branch: Organisation) -> BranchAssessment:
    """The branch's assessment for the scheme's year, created as a draft with a score
    row per criterion (and any criterion added since), then computed."""
    if scheme.state != Scheme.State.ACTIVE:
        raise ValidationError(_("The %(year)s scheme is not active yet.") % {"year": scheme.year})
    if branch.kind != Kind.BRANCH:
        raise ValidationError(_("Only a branch is assessed on the standards."))
    assessment, created = BranchAssessment.objects.get_or_create(scheme=scheme, branch=branch)
    from ..models import Criterion

    have = set(assessment.scores.values_list("criterion_id", flat=True))
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=criterion)
        for criterion in Criterion.objects.filter(group__scheme=scheme).exclude(pk__in=have)
    )
    if created:
        assessment_compute(assessment=assessment)
    return assessment


def _refuse_if_final(assessment: BranchAssessment) -> None:
    if assessment.is_final:
        raise ValidationError(_("This assessment is approved and can no longer be changed."),
                              code="final")


def _refuse_unless_editable(assessment: BranchAssessment) -> None:
    _refuse_if_final(assessment)
    if not assessment.is_editable:
        raise ValidationError(
            _("The assessment is %(state)s: it can be changed only as a draft or after it is "
              "returned.") % {"state": assessment.get_state_display()}, code="not_editable")


def assessment_recalculate(*, assessment: BranchAssessment) -> BranchAssessment:
    """Store the total (Σ group weight × scored / maximum) and the grade it earns."""
    scores = list(assessment.scores.select_related("criterion__group"))
    by_group: dict[int, list[Score]] = {}
    for score in scores:
        by_group.setdefault(score.criterion.group_id, []).append(score)
    total = Decimal(0)
    for group_scores in by_group.values():
        group = group_scores[0].criterion.group
        maximum = sum((s.criterion.max_score for s in group_scores), Decimal(0))
        scored = sum((min(s.value, s.criterion.max_score) for s in group_scores), Decimal(0))
        if maximum:
            total += group.weight * scored / maximum
    assessment.total = _q(total)
    assessment.grade = grade_for(scheme=assessment.scheme, total=assessment.total)
    BranchAssessment.objects.filter(pk=assessment.pk).update(total=assessment.total,
                                                            grade=assessment.grade)
    return assessment


@transaction.atomic
def assessment_compute(*, assessment: BranchAssessment,
                       by: AbstractBaseUser | None = None) -> BranchAssessment:
    """Compute every computed criterion from the portal's data over the scheme's year,
    keeping the evidence as it stands now (the snapshot the reviewers see)."""
    _refuse_unless_editable(assessment)
    start, end = year_bounds(assessment.scheme.year)
    scores = list(assessment.scores.select_related("criterion"))
    readings: dict[str, indicators.Reading | None] = {}
    for score in scores:
        criterion = score.criterion
        if not criterion.is_computed:
            continue
        if criterion.source not in readings:
            readings[criterion.source] = indicators.read(
                criterion.source, [assessment.branch], start=start, end=end
            ).get(assessment.branch.pk)
        reading = readings[criterion.source]
        if reading is None:
            score.computed_value = None
            score.computed_reading = None
            score.computed_evidence = _("This indicator is not available.")
        else:
            score.computed_reading = reading.value
            score.computed_evidence = reading.evidence
            score.computed_value = (
                None if reading.value is None
                else _q(criterion.max_score * min(reading.value / criterion.target, Decimal(1)))
            )
        score.save(update_fields=["computed_value", "computed_reading", "computed_evidence"])
    assessment.computed_at = timezone.now()
    BranchAssessment.objects.filter(pk=assessment.pk).update(computed_at=assessment.computed_at)
    if by is not None:
        _record(assessment, Action.COMPUTE, assessment.state, assessment.state, by, "")
    return assessment_recalculate(assessment=assessment)


@dataclass(frozen=True)
class ScoreEntry:
    """What the branch enters for one criterion. `value=None` clears the entry (the
    computed score then counts)."""

    value: Decimal | None
    evidence: str = ""


def score_validate(*, score: Score, entry: ScoreEntry) -> None:
    criterion = score.criterion
    if entry.value is None:
        return
    if entry.value < 0:
        raise ValidationError(_("%(criterion)s: a score cannot be negative.")
                              % {"criterion": criterion.name}, code="negative")
    if entry.value > criterion.max_score:
        raise ValidationError(
            _("%(criterion)s: the score %(value)s is above the maximum of %(max)s.")
            % {"criterion": criterion.name, "value": plain(entry.value),
               "max": plain(criterion.max_score)}, code="above_max")


def scores_version(assessment: BranchAssessment, scores: Iterable[Score] | None = None) -> str:
    """The scores form's version token: the assessment's state and every entered score
    (`scores`: the rows the page already read, to spare a query)."""
    if scores is None:
        scores = assessment.scores.all()
    rows = sorted((s.pk, s.entered_value, s.entered_evidence, s.attachment.name) for s in scores)
    return version_token(assessment, ["state"], rows)


@transaction.atomic
def scores_enter(*, assessment: BranchAssessment, entries: dict[int, ScoreEntry],
                 attachments: dict | None = None, version: str = "") -> BranchAssessment:
    """Enter the branch's scores (keyed by score id) in one go; all or nothing. The
    assessment is locked: scores entered (or a step taken) by someone else since the
    page was opened (`version`) are not overwritten."""
    locked = BranchAssessment.objects.select_for_update().get(pk=assessment.pk)
    _refuse_unless_editable(locked)
    check_version(version, scores_version(locked))
    attachments = attachments or {}
    scores = {s.pk: s for s in assessment.scores.select_related("criterion")}
    errors = []
    for pk, entry in entries.items():
        if pk not in scores:
            continue
        try:
            score_validate(score=scores[pk], entry=entry)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    for pk, entry in entries.items():
        score = scores.get(pk)
        if score is None:
            continue
        score.entered_value = entry.value
        score.entered_evidence = entry.evidence
        fields = ["entered_value", "entered_evidence"]
        if attachments.get(pk):
            score.attachment = attachments[pk]
            fields.append("attachment")
        score.save(update_fields=fields)
    return assessment_recalculate(assessment=assessment)


def _record(assessment, action, from_state, to_state, by, comment) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment, action=action, from_state=from_state, to_state=to_state,
        by=by if by is not None and by.is_authenticated else None, at=timezone.now(),
        comment=comment)
