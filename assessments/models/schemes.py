"""The yearly scheme: grades and their thresholds, criterion groups and criteria."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..indicators import MANUAL, indicator_choices
from .fields import PERCENT, _score_field


class Scheme(models.Model):
    """The year's branch standards scheme (支部达标考核方案) and the year's rules for
    the other assessments, all edited by the committee in the admin."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    excellent_share_percent = _score_field(
        _("most members graded excellent (%)"), default=Decimal("33.33"), validators=PERCENT,
        help_text=_("Democratic appraisal: “excellent” generally for no more than one third "
                    "of the members."))
    excellent_share_source = models.CharField(
        _("source of the excellent share"), max_length=200, blank=True,
        default="《关于做好民主评议党员工作的通知》：评为优秀的一般不超过党员总数的三分之一")
    duty_party_weight = _score_field(
        _("party-building weight in one post, two duties (%)"), default=Decimal(50),
        validators=PERCENT,
        help_text=_("The rest is the weight of the business indicators."))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        # Titles usually carry the year already ("2026年达标考核").
        return self.title if str(self.year) in self.title else f"{self.year} {self.title}"


class Grade(models.TextChoices):
    """A branch's standards grade."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    STANDARD = "standard", _("Up to standard (达标)")
    SUBSTANDARD = "substandard", _("Below standard (不达标)")


class GradeThreshold(models.Model):
    """The lowest total that earns a grade (e.g. 优秀 ≥ 90, 达标 ≥ 60)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="thresholds",
                               verbose_name=_("scheme"))
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    min_total = _score_field(_("from total"), validators=PERCENT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "-min_total"]
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "grade"], name="one_threshold_per_grade",
                                    violation_error_message=_("This grade already has a "
                                                              "threshold.")),
            models.CheckConstraint(condition=Q(min_total__gte=0, min_total__lte=100),
                                   name="threshold_in_range",
                                   violation_error_message=_("A threshold lies between 0 and "
                                                             "100.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ≥ {self.min_total}"


class CriterionGroup(models.Model):
    """A group of criteria (party life, education, liaison, business...) with its
    weight in the total; the weights of a scheme add up to 100."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups",
                               verbose_name=_("scheme"))
    name = models.CharField(_("name"), max_length=100)
    weight = _score_field(_("weight (%)"), validators=PERCENT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="criterion_group_unique_name",
                                    violation_error_message=_("The scheme already has a group "
                                                              "of this name.")),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100),
                                   name="group_weight_in_range",
                                   violation_error_message=_("A weight lies above 0 and at most "
                                                             "100.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Criterion(models.Model):
    """One criterion: a maximum score, and either a computed indicator as its source
    (scored `max_score × min(value / target, 1)`) or marks entered by hand."""

    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE,
                              related_name="criteria", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=200)
    max_score = _score_field(_("maximum score"))
    source = models.CharField(_("source"), max_length=40, choices=indicator_choices,
                              default=MANUAL)
    target = models.DecimalField(
        _("target for full marks"), max_digits=8, decimal_places=4, null=True, blank=True,
        help_text=_("For a computed source: the value that earns full marks (1 = 100%)."))
    evidence_guide = models.TextField(
        _("evidence required"), blank=True,
        help_text=_("What the branch shows to justify the score."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "group", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive",
                                   violation_error_message=_("A maximum score is above 0.")),
            models.CheckConstraint(
                condition=Q(source=MANUAL) | Q(target__gt=0), name="computed_criterion_target",
                violation_error_message=_("A computed criterion needs a target above 0.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source != MANUAL
