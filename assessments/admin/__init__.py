"""The committee's review desk for assessments.

Schemes (groups, criteria, grade thresholds) are edited here; an active scheme is
checked again on every save, so its weights always add up to 100. Branch
assessments are reviewed here: the queue shows what waits for the user (the general
branch reviews submitted ones, the committee decides), the change page shows the
computed and entered scores side by side with their evidence, and the decision is
made through `services.assessment_transition` (checked first in a rolled-back
savepoint, see `members.admin.dry_run`). An approved assessment is read-only. Rows
are scoped like the rest of the admin (`members.admin_scope`).
"""

from . import appraisal, duties, recognition, review_desk, schemes
from .appraisal import (
    AppraisalAdmin,
    AppraisalEntryForm,
    AppraisalEntryInline,
)
from .duties import (
    DutyAssessmentAdmin,
    DutyAssessmentForm,
)
from .recognition import (
    PostStarAdmin,
    PostStarForm,
    RedFlagAdmin,
    RedFlagForm,
    RedFlagWeightAdmin,
)
from .review_desk import (
    Action,
    AssessmentAddForm,
    AssessmentDecisionForm,
    BranchAssessmentAdmin,
    EventInline,
    GeneralBranchFilter,
    QueueFilter,
    ScoreInline,
    State,
    YearFilter,
    is_committee_user,
)
from .schemes import (
    CriterionGroupAdmin,
    CriterionGroupInline,
    CriterionInline,
    GradeThresholdInline,
    SchemeAdmin,
)

__all__ = [
    "Action",
    "AppraisalAdmin",
    "AppraisalEntryForm",
    "AppraisalEntryInline",
    "AssessmentAddForm",
    "AssessmentDecisionForm",
    "BranchAssessmentAdmin",
    "CriterionGroupAdmin",
    "CriterionGroupInline",
    "CriterionInline",
    "DutyAssessmentAdmin",
    "DutyAssessmentForm",
    "EventInline",
    "GeneralBranchFilter",
    "GradeThresholdInline",
    "PostStarAdmin",
    "PostStarForm",
    "QueueFilter",
    "RedFlagAdmin",
    "RedFlagForm",
    "RedFlagWeightAdmin",
    "SchemeAdmin",
    "ScoreInline",
    "State",
    "YearFilter",
    "appraisal",
    "duties",
    "is_committee_user",
    "recognition",
    "review_desk",
    "schemes",
]
