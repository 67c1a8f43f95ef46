"""The branch-assessment workflow: the legal moves, who may make them, the transition."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation
from members.access import Scope, scope_for

from ..models import BranchAssessment
from .branch_assessment import (
    Action,
    Kind,
    State,
    _record,
    _refuse_if_final,
    assessment_compute,
    assessment_recalculate,
)

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
