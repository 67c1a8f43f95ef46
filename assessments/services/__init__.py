"""Writes for assessments. One write path per aggregate:

- a scheme is checked and activated by `scheme_activate` (weights add up to 100);
- a branch assessment is opened by `assessment_open`, scored by `assessment_compute`
  and `score_enter`, and moved only by `assessment_transition`, which knows the legal
  moves and who may make them, claims the row with a conditional UPDATE and records
  an `AssessmentEvent`; an approved assessment is final;
- appraisals, "one post, two duties" and the monthly recognition have their own.

Views, admin actions and the demo call these; none repeats their rules.
"""

from . import appraisal, branch_assessment, duties, numbers, recognition, schemes, workflow
from .appraisal import (
    VOTE_FIELDS,
    Tally,
    appraisal_decide,
    appraisal_entry_save,
    appraisal_entry_validate,
    appraisal_follow_ups,
    appraisal_grades_save,
    appraisal_grades_version,
    appraisal_open,
    appraisal_self_assessment_save,
    appraisal_tally,
    appraisal_vote_cast,
    appraisal_warnings,
    excellent_limit,
    self_assessment_version,
)
from .branch_assessment import (
    Action,
    Kind,
    ScoreEntry,
    State,
    assessment_compute,
    assessment_open,
    assessment_recalculate,
    score_validate,
    scores_enter,
    scores_version,
    year_bounds,
)
from .duties import duty_assessment_save
from .numbers import TWO, plain
from .recognition import first_of_month, post_star_award, red_flag_award
from .schemes import grade_for, scheme_activate, scheme_problems
from .workflow import (
    TRANSITIONS,
    allowed_actions,
    assessment_transition,
    is_committee_for,
    is_reviewer_for,
    leads_kind_above,
    may,
)

__all__ = [
    "TRANSITIONS",
    "TWO",
    "VOTE_FIELDS",
    "Action",
    "Kind",
    "ScoreEntry",
    "State",
    "Tally",
    "allowed_actions",
    "appraisal",
    "appraisal_decide",
    "appraisal_entry_save",
    "appraisal_entry_validate",
    "appraisal_follow_ups",
    "appraisal_grades_save",
    "appraisal_grades_version",
    "appraisal_open",
    "appraisal_self_assessment_save",
    "appraisal_tally",
    "appraisal_vote_cast",
    "appraisal_warnings",
    "assessment_compute",
    "assessment_open",
    "assessment_recalculate",
    "assessment_transition",
    "branch_assessment",
    "duties",
    "duty_assessment_save",
    "excellent_limit",
    "first_of_month",
    "grade_for",
    "is_committee_for",
    "is_reviewer_for",
    "leads_kind_above",
    "may",
    "numbers",
    "plain",
    "post_star_award",
    "recognition",
    "red_flag_award",
    "scheme_activate",
    "scheme_problems",
    "schemes",
    "score_validate",
    "scores_enter",
    "scores_version",
    "self_assessment_version",
    "workflow",
    "year_bounds",
]
