"""The assessment models, one module per concept, all imported here so Django finds
them (and migrations find `score_attachment_path`)."""

from . import appraisal, branch_assessment, duties, fields, recognition, schemes
from .appraisal import LOW_GRADES, Appraisal, AppraisalEntry, AppraisalGrade, AppraisalVote
from .branch_assessment import (
    AssessmentEvent,
    AssessmentState,
    BranchAssessment,
    BranchAssessmentQuerySet,
    Score,
    score_attachment_path,
)
from .duties import DutyAssessment
from .fields import BRANCH, PERCENT
from .recognition import PostStar, RedFlag, RedFlagWeight
from .schemes import Criterion, CriterionGroup, Grade, GradeThreshold, Scheme

__all__ = [
    "BRANCH",
    "LOW_GRADES",
    "PERCENT",
    "Appraisal",
    "AppraisalEntry",
    "AppraisalGrade",
    "AppraisalVote",
    "AssessmentEvent",
    "AssessmentState",
    "BranchAssessment",
    "BranchAssessmentQuerySet",
    "Criterion",
    "CriterionGroup",
    "DutyAssessment",
    "Grade",
    "GradeThreshold",
    "PostStar",
    "RedFlag",
    "RedFlagWeight",
    "Scheme",
    "Score",
    "appraisal",
    "branch_assessment",
    "duties",
    "fields",
    "recognition",
    "schemes",
    "score_attachment_path",
]
