"""The key-project materials supply status board (重点工程物资采购供应状态跟踪表): the key
projects, each project's weekly status, and the weekly sheets imported from Excel."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from supplychain_party.models import SheetImport


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week `day` falls in: the key of a weekly status."""
    return day - datetime.timedelta(days=day.weekday())


class TenderingStage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not tendered")
    IN_PROGRESS = "in_progress", _("Tendering in progress")
    AWARDED = "awarded", _("Awarded")


class ContractStage(models.TextChoices):
    NOT_SIGNED = "not_signed", _("Not signed")
    SIGNED = "signed", _("Signed")
    SETTLING = "settling", _("Settling")
    SETTLED = "settled", _("Settled")


class KeyProjectQuerySet(models.QuerySet):
    def active(self) -> KeyProjectQuerySet:
        return self.filter(is_active=True)

    def search(self, text: str) -> KeyProjectQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(project_unit__icontains=text)
        )


class KeyProject(models.Model):
    """A key grid project whose materials supply the service team follows each week."""

    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    project_unit = models.CharField(_("project unit"), max_length=100, blank=True)
    voltage_level = models.CharField(_("voltage level"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active projects appear on the board.")
    )
    history = HistoricalRecords()

    objects = KeyProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


PERCENT = [MaxValueValidator(100)]

# The stages of a weekly status, in the board's order: (field, is it a percentage).
STAGES = (
    ("plan_allocation", True),
    ("tendering", False),
    ("contract", False),
    ("arrival", True),
)
STAGE_ORDER = {
    "tendering": {value: rank for rank, value in enumerate(TenderingStage.values)},
    "contract": {value: rank for rank, value in enumerate(ContractStage.values)},
}


class WeeklyStatus(models.Model):
    """One project's supply status in one week, as the service team collected it.

    One row per (project, week); a correction changes the row and simple_history keeps
    the earlier values, with the reason when a past week is amended.
    """

    project = models.ForeignKey(
        KeyProject,
        on_delete=models.CASCADE,
        related_name="statuses",
        verbose_name=_("key project"),
    )
    week = models.DateField(_("week (Monday)"))
    plan_allocation = models.PositiveSmallIntegerField(_("plan allocation (%)"), validators=PERCENT)
    tendering = models.CharField(_("tendering"), max_length=20, choices=TenderingStage.choices)
    contract = models.CharField(
        _("contract settlement"), max_length=20, choices=ContractStage.choices
    )
    arrival = models.PositiveSmallIntegerField(_("arrival (%)"), validators=PERCENT)
    is_delayed = models.BooleanField(_("behind schedule"), default=False)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week", "project__code"]
        verbose_name = _("weekly supply status")
        verbose_name_plural = _("weekly supply statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "week"],
                name="one_status_per_project_week",
                violation_error_message=_("This project already has a status for that week."),
            ),
            models.CheckConstraint(
                condition=Q(week__iso_week_day=1),
                name="status_week_is_a_monday",
                violation_error_message=_("A week is keyed by its Monday."),
            ),
            models.CheckConstraint(
                condition=Q(plan_allocation__lte=100) & Q(arrival__lte=100),
                name="status_percentages_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["week"], name="status_week_idx")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.week}"

    def values(self) -> dict:
        """The values a sheet row or the form sets (what decides "unchanged")."""
        return {
            "plan_allocation": self.plan_allocation,
            "tendering": self.tendering,
            "contract": self.contract,
            "arrival": self.arrival,
            "is_delayed": self.is_delayed,
            "remarks": self.remarks,
        }

    def rank(self, stage: str) -> int:
        """A stage's progress as a number, so two weeks can be compared."""
        value = getattr(self, stage)
        return STAGE_ORDER[stage][value] if stage in STAGE_ORDER else value


class ImportBatch(SheetImport):
    """An uploaded weekly sheet between its preview and its confirmation: the sheet is
    parsed and validated again against the projects and statuses as they are then."""

    week = models.DateField(_("week (Monday)"))
    reason = models.CharField(_("reason for amending"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta(SheetImport.Meta):
        verbose_name = _("weekly sheet import")
        verbose_name_plural = _("weekly sheet imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(week__iso_week_day=1), name="import_week_is_a_monday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.week})"
