"""Monthly recognition: red flag weights, the mobile red flag, post stars."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person

from ..indicators import MANUAL, indicator_choices
from .fields import BRANCH, _score_field


class RedFlagWeight(models.Model):
    """The mobile red flag's scoring rule, one row per indicator: each branch scores
    `Σ weight × min(value / target, 1)` over the month; the best branch wins."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=indicator_choices,
                                 unique=True)
    weight = _score_field(_("weight"))
    target = models.DecimalField(_("target for full marks"), max_digits=8, decimal_places=4,
                                 default=Decimal(1))
    is_enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-weight", "indicator"]
        verbose_name = _("red flag rule")
        verbose_name_plural = _("red flag rule")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(target__gt=0),
                                   name="red_flag_weight_positive",
                                   violation_error_message=_("Weight and target are above 0.")),
            models.CheckConstraint(condition=~Q(indicator=MANUAL), name="red_flag_computed_only",
                                   violation_error_message=_("The red flag uses computed "
                                                             "indicators only.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} × {self.weight}"


class RedFlag(models.Model):
    """The month's mobile red flag (流动红旗): one branch per month."""

    month = models.DateField(_("month"), unique=True,
                             error_messages={"unique": _("The red flag of this month is "
                                                         "already awarded.")})
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="red_flags",
                               verbose_name=_("branch"), limit_choices_to=BRANCH)
    score = _score_field(_("score"))
    evidence = models.TextField(_("scores of every branch"), blank=True)
    awarded_at = models.DateTimeField(_("awarded at"))
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("awarded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("mobile red flag")
        verbose_name_plural = _("mobile red flags")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="red_flag_first_of_month",
                                   violation_error_message=_("A month is stored as its first "
                                                             "day.")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.branch}"


class PostStar(models.Model):
    """The month's post star (岗位之星) of a branch."""

    month = models.DateField(_("month"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="post_stars",
                               verbose_name=_("branch"), limit_choices_to=BRANCH)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="post_stars",
                               verbose_name=_("member"))
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "branch__path"]
        verbose_name = _("post star")
        verbose_name_plural = _("post stars")
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="one_post_star_per_month",
                                    violation_error_message=_("This branch already has a post "
                                                              "star for the month.")),
            models.CheckConstraint(condition=Q(month__day=1), name="post_star_first_of_month",
                                   violation_error_message=_("A month is stored as its first "
                                                             "day.")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.person}"
