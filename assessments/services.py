"""Writes for assessments. One write path per aggregate:

- a scheme is checked and activated by `scheme_activate` (weights add up to 100);
- a branch assessment is opened by `assessment_open`, scored by `assessment_compute`
  and `score_enter`, and moved only by `assessment_transition`, which knows the legal
  moves and who may make them, claims the row with a conditional UPDATE and records
  an `AssessmentEvent`; an approved assessment is final;
- appraisals, "one post, two duties" and the monthly recognition have their own.

Views, admin actions and the demo call these; none repeats their rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation
from members.access import Scope, scope_for
from members.models import Person, Post

from . import indicators
from .models import (
    LOW_GRADES,
    Appraisal,
    AppraisalEntry,
    AppraisalGrade,
    AppraisalVote,
    AssessmentEvent,
    AssessmentState,
    BranchAssessment,
    DutyAssessment,
    Grade,
    GradeThreshold,
    PostStar,
    RedFlag,
    Scheme,
    Score,
)

State = AssessmentState
Action = AssessmentEvent.Action
Kind = Organisation.Kind
TWO = Decimal("0.01")


def plain(value: Decimal) -> str:
    """A decimal as people write it: 90, 12.5 (not 9E+1, 12.50)."""
    return f"{value.normalize():f}"


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


# --- Schemes --------------------------------------------------------------------------


def scheme_problems(*, scheme: Scheme) -> list[str]:
    """What keeps the scheme from being used: weights not adding up to 100, a group
    without criteria, missing or crossed grade thresholds."""
    problems = []
    groups = list(scheme.groups.all().prefetch_related("criteria"))
    if not groups:
        problems.append(_("The scheme has no criterion groups."))
    total = sum((g.weight for g in groups), Decimal(0))
    if groups and total != 100:
        problems.append(_("The group weights add up to %(total)s, not 100.")
                        % {"total": plain(total)})
    for group in groups:
        if not group.criteria.all():
            problems.append(_("The group “%(group)s” has no criteria.") % {"group": group.name})
    thresholds = {t.grade: t.min_total for t in scheme.thresholds.all()}
    for grade in (Grade.EXCELLENT, Grade.STANDARD):
        if grade not in thresholds:
            problems.append(_("Set the lowest total for “%(grade)s”.")
                            % {"grade": Grade(grade).label})
    if (Grade.EXCELLENT in thresholds and Grade.STANDARD in thresholds
            and thresholds[Grade.EXCELLENT] <= thresholds[Grade.STANDARD]):
        problems.append(_("“Excellent” must need a higher total than “up to standard”."))
    return problems


def scheme_activate(*, scheme: Scheme, by: AbstractBaseUser | None = None) -> Scheme:
    """Check the scheme and make it the year's active one (refused with the reasons)."""
    problems = scheme_problems(scheme=scheme)
    if problems:
        raise ValidationError(problems)
    scheme.state = Scheme.State.ACTIVE
    scheme.activated_at = timezone.now()
    scheme.save(update_fields=["state", "activated_at"])
    return scheme


def grade_for(*, scheme: Scheme, total: Decimal) -> str:
    """The highest grade whose threshold the total reaches; below all, substandard."""
    for threshold in GradeThreshold.objects.filter(scheme=scheme).order_by("-min_total"):
        if total >= threshold.min_total:
            return threshold.grade
    return Grade.SUBSTANDARD


# --- A branch's assessment --------------------------------------------------------------


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
    from .models import Criterion

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


@transaction.atomic
def scores_enter(*, assessment: BranchAssessment, entries: dict[int, ScoreEntry],
                 attachments: dict | None = None) -> BranchAssessment:
    """Enter the branch's scores (keyed by score id) in one go; all or nothing."""
    _refuse_unless_editable(assessment)
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


# The legal moves: action -> (states it starts from, state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED),
    Action.REVIEW: (frozenset({State.SUBMITTED}), State.REVIEWED),
    Action.RETURN: (frozenset({State.SUBMITTED, State.REVIEWED}), State.RETURNED),
    # The committee may decide on a submitted assessment directly: a branch under the
    # committee has no general branch to review it.
    Action.APPROVE: (frozenset({State.SUBMITTED, State.REVIEWED}), State.APPROVED),
}


def leads_kind_above(scope: Scope, branch: Organisation, kind: str) -> bool:
    """Whether the user leads an organisation of `kind` at or above the branch."""
    return any(org.kind == kind and branch.path.startswith(org.path) for org in scope.led)


def is_committee_for(scope: Scope, branch: Organisation) -> bool:
    return scope.sees_all or leads_kind_above(scope, branch, Kind.COMMITTEE)


def is_reviewer_for(scope: Scope, branch: Organisation) -> bool:
    return leads_kind_above(scope, branch, Kind.GENERAL_BRANCH)


def may(*, user: AbstractBaseUser, action: str, assessment: BranchAssessment) -> bool:
    """Whether the user's posts allow the action on this branch's assessment."""
    scope = scope_for(user)
    branch = assessment.branch
    if action == Action.SUBMIT:
        return scope.covers(branch)
    if action == Action.REVIEW:
        return is_reviewer_for(scope, branch)
    if action == Action.RETURN:
        return is_committee_for(scope, branch) or (
            is_reviewer_for(scope, branch) and assessment.state == State.SUBMITTED)
    if action == Action.APPROVE:
        return is_committee_for(scope, branch)
    return False


def allowed_actions(*, user: AbstractBaseUser, assessment: BranchAssessment) -> list[str]:
    return [action for action, (sources, _to) in TRANSITIONS.items()
            if assessment.state in sources and may(user=user, action=action,
                                                   assessment=assessment)]


# Lazy: the message is built in the language of the request that is refused.
_ILLEGAL = {
    Action.SUBMIT: gettext_lazy(
        "Only a draft or a returned assessment can be submitted; this one is %(state)s."),
    Action.REVIEW: gettext_lazy(
        "Only a submitted assessment can be reviewed; this one is %(state)s."),
    Action.RETURN: gettext_lazy(
        "Only a submitted or reviewed assessment can be returned; this one is %(state)s."),
    Action.APPROVE: gettext_lazy(
        "Only a submitted or reviewed assessment can be approved; this one is %(state)s."),
}


def _record(assessment, action, from_state, to_state, by, comment) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment, action=action, from_state=from_state, to_state=to_state,
        by=by if by is not None and by.is_authenticated else None, at=timezone.now(),
        comment=comment)


@transaction.atomic
def assessment_transition(*, assessment: BranchAssessment, action: str, by: AbstractBaseUser,
                          comment: str = "") -> BranchAssessment:
    """Move the assessment one legal step, as `by`, and record the step.

    Refused with a clear message when the move is not legal from the current state,
    when the user's posts do not allow it, when a return has no reason, or when a
    submission leaves a hand-scored criterion empty. The row is claimed by a
    conditional UPDATE on its state, so two reviewers cannot both move it.
    """
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    sources, target = TRANSITIONS[action]
    assessment.refresh_from_db(fields=["state"])
    if assessment.state not in sources:
        if assessment.is_final:
            _refuse_if_final(assessment)
        raise ValidationError(str(_ILLEGAL[action]) % {"state": assessment.get_state_display()},
                              code="illegal_move")
    if not may(user=by, action=action, assessment=assessment):
        raise ValidationError(_("Your posts do not allow you to do this for %(branch)s.")
                              % {"branch": assessment.branch.name}, code="not_allowed")
    comment = comment.strip()
    if action == Action.RETURN and not comment:
        raise ValidationError(_("Say why the assessment is returned."), code="no_comment")
    if action == Action.SUBMIT:
        # The evidence the reviewers see is the portal's data as submitted.
        assessment_compute(assessment=assessment)
        empty = [s.criterion.name for s in assessment.scores.select_related("criterion")
                 if not s.criterion.is_computed and s.entered_value is None]
        if empty:
            raise ValidationError(_("Enter a score for: %(criteria)s.")
                                  % {"criteria": "、".join(empty)}, code="incomplete")
    now = timezone.now()
    changes = {"state": target, "last_comment": comment}
    if action == Action.SUBMIT:
        changes["submitted_at"] = now
    if action in (Action.APPROVE, Action.RETURN):
        changes["decided_at"] = now
    claimed = BranchAssessment.objects.filter(pk=assessment.pk, state=assessment.state).update(
        **changes)
    if claimed != 1:
        raise ValidationError(_("Someone else has just moved this assessment; reload it."),
                              code="conflict")
    from_state = assessment.state
    for name, value in changes.items():
        setattr(assessment, name, value)
    _record(assessment, action, from_state, target, by, comment)
    # A history row for the change (the UPDATE above bypasses simple_history).
    assessment.save(update_fields=list(changes))
    if action == Action.APPROVE:
        assessment_recalculate(assessment=assessment)
    return assessment


# --- Democratic appraisal ------------------------------------------------------------------


@transaction.atomic
def appraisal_open(*, scheme: Scheme, branch: Organisation) -> Appraisal:
    """The branch's appraisal for the year, with an entry for each active party member
    (members who joined since are added when it is opened again)."""
    if branch.kind != Kind.BRANCH:
        raise ValidationError(_("Members are appraised in their branch."))
    appraisal, _created = Appraisal.objects.get_or_create(scheme=scheme, branch=branch)
    if appraisal.state == Appraisal.State.OPEN:
        have = set(appraisal.entries.values_list("person_id", flat=True))
        AppraisalEntry.objects.bulk_create(
            AppraisalEntry(appraisal=appraisal, person=person)
            for person in Person.objects.active().party_members().filter(branch=branch)
            .exclude(pk__in=have)
        )
    return appraisal


@dataclass(frozen=True)
class Tally:
    members: int
    by_grade: dict[str, int]
    excellent_limit: int

    @property
    def excellent(self) -> int:
        return self.by_grade.get(AppraisalGrade.EXCELLENT, 0)

    @property
    def too_many_excellent(self) -> bool:
        return self.excellent > self.excellent_limit


def excellent_limit(*, scheme: Scheme, members: int) -> int:
    """How many may be graded excellent (rounded down: 10 members, a third: 3)."""
    # The share is kept to two decimals (33.33 for a third): round to one decimal
    # before flooring, so that 6 × 33.33% allows 2, not 1.
    share = Decimal(members) * scheme.excellent_share_percent / 100
    return int(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def appraisal_tally(*, appraisal: Appraisal, field: str = "") -> Tally:
    """Grades counted (the decision when made, else the committee's proposal)."""
    entries = list(appraisal.entries.all())
    field = field or ("decided_grade" if appraisal.state == Appraisal.State.DECIDED
                      else "proposed_grade")
    by_grade: dict[str, int] = {}
    for entry in entries:
        grade = getattr(entry, field)
        if grade:
            by_grade[grade] = by_grade.get(grade, 0) + 1
    return Tally(len(entries), by_grade,
                 excellent_limit(scheme=appraisal.scheme, members=len(entries)))


def appraisal_warnings(*, appraisal: Appraisal) -> list[str]:
    """What the committee should look at before the decision: too many excellent."""
    warnings = []
    tally = appraisal_tally(appraisal=appraisal)
    if tally.too_many_excellent:
        warnings.append(
            _("%(n)d of %(members)d members are graded excellent; the rule allows at most "
              "%(limit)d (%(share)s%%). Source: %(source)s")
            % {"n": tally.excellent, "members": tally.members, "limit": tally.excellent_limit,
               "share": plain(appraisal.scheme.excellent_share_percent),
               "source": appraisal.scheme.excellent_share_source})
    return warnings


def appraisal_entry_validate(*, entry: AppraisalEntry) -> None:
    """Votes cannot exceed the members who vote; a decided appraisal is final."""
    appraisal = entry.appraisal
    if appraisal.state == Appraisal.State.DECIDED:
        raise ValidationError(_("The branch meeting has decided this appraisal; it can no "
                                "longer be changed."), code="final")
    members = appraisal.entries.count()
    votes = (entry.votes_excellent + entry.votes_qualified + entry.votes_basic
             + entry.votes_unqualified)
    if votes > members:
        raise ValidationError(_("%(person)s has %(votes)d votes but only %(members)d members "
                                "vote.") % {"person": entry.person, "votes": votes,
                                            "members": members}, code="too_many_votes")


@transaction.atomic
def appraisal_entry_save(*, entry: AppraisalEntry) -> AppraisalEntry:
    appraisal_entry_validate(entry=entry)
    entry.save()
    return entry


def _refuse_unless_open(appraisal: Appraisal) -> None:
    if appraisal.state != Appraisal.State.OPEN:
        raise ValidationError(_("The branch meeting has decided this appraisal; it can no "
                                "longer be changed."), code="final")


VOTE_FIELDS = {
    AppraisalGrade.EXCELLENT: "votes_excellent",
    AppraisalGrade.QUALIFIED: "votes_qualified",
    AppraisalGrade.BASIC: "votes_basic",
    AppraisalGrade.UNQUALIFIED: "votes_unqualified",
}


@transaction.atomic
def appraisal_self_assessment_save(*, entry: AppraisalEntry, text: str) -> AppraisalEntry:
    """The member's own self-assessment, while the appraisal is open."""
    _refuse_unless_open(entry.appraisal)
    entry.self_assessment = text.strip()
    entry.save(update_fields=["self_assessment"])
    return entry


@transaction.atomic
def appraisal_vote_cast(*, entry: AppraisalEntry, voter: Person, grade: str) -> AppraisalVote:
    """The voter's mutual-appraisal vote for a colleague of their branch, while the
    appraisal is open: one vote per voter and colleague, a new one replacing it. The
    entry's counts move with the vote (F() updates, so concurrent votes add up)."""
    appraisal = entry.appraisal
    _refuse_unless_open(appraisal)
    if grade not in VOTE_FIELDS:
        raise ValidationError(_("Choose a grade."), code="no_grade")
    if entry.person_id == voter.pk:
        raise ValidationError(_("Members do not vote for themselves."), code="self_vote")
    if not appraisal.entries.filter(person=voter).exists():
        raise ValidationError(_("Only the members of %(branch)s vote in its appraisal.")
                              % {"branch": appraisal.branch.name}, code="not_a_member")
    vote = (AppraisalVote.objects.select_for_update()
            .filter(entry=entry, voter=voter).first())
    counts = AppraisalEntry.objects.filter(pk=entry.pk)
    if vote is None:
        vote = AppraisalVote.objects.create(entry=entry, voter=voter, grade=grade,
                                            cast_at=timezone.now())
    elif vote.grade != grade:
        old = VOTE_FIELDS[vote.grade]
        counts.filter(**{f"{old}__gt": 0}).update(**{old: F(old) - 1})
        vote.grade, vote.cast_at = grade, timezone.now()
        vote.save(update_fields=["grade", "cast_at"])
    else:
        return vote
    new = VOTE_FIELDS[grade]
    counts.update(**{new: F(new) + 1})
    return vote


@transaction.atomic
def appraisal_decide(*, appraisal: Appraisal, decided_on: datetime.date) -> list[str]:
    """Record the branch meeting's decision. Every member needs a decided grade (the
    committee's proposal is taken where none is given). Returns the warnings."""
    if appraisal.state == Appraisal.State.DECIDED:
        raise ValidationError(_("The branch meeting has already decided this appraisal."))
    entries = list(appraisal.entries.select_related("person"))
    missing = [e.person.name for e in entries if not (e.decided_grade or e.proposed_grade)]
    if missing:
        raise ValidationError(_("Propose or decide a grade for: %(names)s.")
                              % {"names": "、".join(missing)})
    for entry in entries:
        if not entry.decided_grade:
            entry.decided_grade = entry.proposed_grade
            entry.save(update_fields=["decided_grade"])
    appraisal.state = Appraisal.State.DECIDED
    appraisal.decided_on = decided_on
    appraisal.save(update_fields=["state", "decided_on"])
    return appraisal_warnings(appraisal=appraisal)


def appraisal_follow_ups(queryset) -> list[AppraisalEntry]:
    """Members with a low decided grade whose follow-up is not done."""
    return list(queryset.filter(decided_grade__in=LOW_GRADES, follow_up_done_on__isnull=True)
                .select_related("person", "appraisal__branch"))


# --- One post, two duties --------------------------------------------------------------


@transaction.atomic
def duty_assessment_save(*, scheme: Scheme, post: Post, business_score: Decimal | None,
                         business_evidence: str = "") -> DutyAssessment:
    """Join the branch's standards total with the secretary's business score into the
    figure for the middle managers' appraisal: w × party + (100 − w) × business."""
    if not post.carries_two_duties:
        raise ValidationError(_("%(post)s is not a part-time secretary with a business post.")
                              % {"post": post}, code="not_two_duties")
    if business_score is not None and not 0 <= business_score <= 100:
        raise ValidationError(_("A business score lies between 0 and 100."))
    party = (BranchAssessment.objects.filter(scheme=scheme, branch=post.organisation)
             .values_list("total", flat=True).first())
    duty, _created = DutyAssessment.objects.get_or_create(
        scheme=scheme, post=post, defaults={"branch": post.organisation})
    duty.party_score = party
    duty.business_score = business_score
    duty.business_evidence = business_evidence
    duty.total = None
    if party is not None and business_score is not None:
        weight = scheme.duty_party_weight
        duty.total = _q((weight * party + (100 - weight) * business_score) / 100)
    duty.save()
    return duty


# --- Monthly recognition ---------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def red_flag_award(*, month: datetime.date, by: AbstractBaseUser | None = None) -> RedFlag:
    """Award the month's red flag to the best branch by the rule (see
    `selectors.red_flag_ranking`). Refused when already awarded or nothing scored."""
    from .selectors import red_flag_ranking

    month = first_of_month(month)
    if RedFlag.objects.filter(month=month).exists():
        raise ValidationError(_("The red flag of %(month)s is already awarded.")
                              % {"month": f"{month:%Y-%m}"}, code="awarded")
    ranking = red_flag_ranking(month=month)
    if not ranking:
        raise ValidationError(_("No red flag rule is enabled, or no branch to rank."))
    best = ranking[0]
    evidence = "\n".join(f"{row.branch.name}: {row.score} ({row.detail})" for row in ranking)
    return RedFlag.objects.create(month=month, branch=best.branch, score=best.score,
                                  evidence=evidence, awarded_at=timezone.now(),
                                  awarded_by=by if by is not None and by.is_authenticated
                                  else None)


@transaction.atomic
def post_star_award(*, branch: Organisation, person: Person, month: datetime.date,
                    reason: str = "") -> PostStar:
    """Name the branch's post star of the month (one per branch and month)."""
    month = first_of_month(month)
    if person.branch_id != branch.pk:
        raise ValidationError(_("%(person)s does not belong to %(branch)s.")
                              % {"person": person, "branch": branch}, code="other_branch")
    if PostStar.objects.filter(branch=branch, month=month).exists():
        raise ValidationError(_("This branch already has a post star for the month."),
                              code="awarded")
    return PostStar.objects.create(branch=branch, person=person, month=month, reason=reason)
