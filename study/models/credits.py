"""Credit rules (edited by the committee in the admin) and the credit ledger."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Person

from .materials import Material


class CreditRule(models.Model):
    """How many credits an event earns, with an optional monthly cap."""

    class Event(models.TextChoices):
        READ = "read", _("Material read")
        QUIZ_PASSED = "quiz_passed", _("Quiz passed")
        QUIZ_PERFECT = "quiz_perfect", _("Quiz with full marks")

    event = models.CharField(_("event"), max_length=20, choices=Event.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    points = models.DecimalField(
        _("credits"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    monthly_cap = models.DecimalField(
        _("most credits a month"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Empty: no cap. Credits of this rule beyond the cap in a month are not awarded."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event"]
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")

    def __str__(self) -> str:
        return self.name


class CreditEntry(models.Model):
    """Credits earned: one row per person, rule and material, so nothing is credited
    twice (a rerun, a retake or a double click finds the row there)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="credit_entries",
        verbose_name=_("person"),
    )
    rule = models.ForeignKey(
        CreditRule, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rule")
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="credit_entries",
        verbose_name=_("material"),
    )
    points = models.DecimalField(_("credits"), max_digits=6, decimal_places=1)
    earned_on = models.DateField(_("earned on"), db_index=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-earned_on", "-pk"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "material"], name="study_credit_once"
            ),
        ]
        indexes = [models.Index(fields=["person", "earned_on"], name="study_credit_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule} · {self.points}"
