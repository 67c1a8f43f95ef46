"""A branch's assessment: its state, its scores with evidence, its steps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from branches.models import Organisation

from .fields import BRANCH, _score_field
from .schemes import Criterion, Grade, Scheme


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the general branch")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class BranchAssessmentQuerySet(models.QuerySet):
    def for_year(self, year: int) -> BranchAssessmentQuerySet:
        return self.filter(scheme__year=year)

    def awaiting_decision(self) -> BranchAssessmentQuerySet:
        return self.filter(state__in=(AssessmentState.SUBMITTED, AssessmentState.REVIEWED))


class BranchAssessment(models.Model):
    """A branch's standards assessment for a year: its scores, its state in the
    workflow (written only by `services.assessment_transition`), and its result."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("scheme")
    )
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("branch"),
        limit_choices_to=BRANCH,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    summary = models.TextField(_("self-assessment summary"), blank=True)
    total = _score_field(_("total"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    last_comment = models.TextField(_("last comment"), blank=True)
    history = HistoricalRecords()

    objects = BranchAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-scheme__year", "branch__path"]
        verbose_name = _("branch assessment")
        verbose_name_plural = _("branch assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "branch"],
                name="one_assessment_per_year",
                violation_error_message=_("This branch already has an assessment for the year."),
            ),
        ]
        indexes = [models.Index(fields=["state", "scheme"], name="assessment_state_idx")]

    def __str__(self) -> str:
        return f"{self.branch} {self.scheme.year}"

    @property
    def is_final(self) -> bool:
        return self.state == AssessmentState.APPROVED

    @property
    def is_editable(self) -> bool:
        """The branch may still change its scores (draft, or returned to it)."""
        return self.state in (AssessmentState.DRAFT, AssessmentState.RETURNED)


def score_attachment_path(instance: Score, filename: str) -> str:
    return f"assessments/{instance.assessment_id}/{filename}"


class Score(models.Model):
    """One criterion's score: what the portal computed (with the evidence as it stood
    then) beside what the branch entered (with its own evidence and a file). The
    entered value wins when present."""

    assessment = models.ForeignKey(
        BranchAssessment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("assessment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    computed_value = _score_field(_("computed score"), null=True, blank=True)
    computed_reading = models.DecimalField(
        _("measured value"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    computed_evidence = models.TextField(_("computed evidence"), blank=True)
    entered_value = _score_field(_("entered score"), null=True, blank=True)
    entered_evidence = models.TextField(_("evidence"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=score_attachment_path, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__group__order", "criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(entered_value__isnull=True) | Q(entered_value__gte=0),
                name="entered_score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

    @property
    def value(self) -> Decimal:
        if self.entered_value is not None:
            return self.entered_value
        return self.computed_value if self.computed_value is not None else Decimal(0)


class AssessmentEvent(models.Model):
    """One step of the workflow: who moved the assessment, from what to what, why."""

    class Action(models.TextChoices):
        COMPUTE = "compute", _("Scores computed")
        SUBMIT = "submit", _("Submitted")
        REVIEW = "review", _("Reviewed")
        RETURN = "return", _("Returned")
        APPROVE = "approve", _("Approved")

    assessment = models.ForeignKey(
        BranchAssessment,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("assessment"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(
        pgettext_lazy("state", "from"), max_length=12, choices=AssessmentState.choices
    )
    to_state = models.CharField(
        pgettext_lazy("state", "to"), max_length=12, choices=AssessmentState.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
