"""Joint research topics (课题项目) of a pairing (结对联创), with dated progress."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Partnership
from members.models import Person


class JointProject(models.Model):
    """A research topic our organisation works on with its outside partner."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("pairing"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    lead = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead")
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="joint_projects", verbose_name=_("members")
    )
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The latest progress entry's percent, kept by `progress_add` so lists need no join.
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "due_on", "pk"]
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "topic"],
                name="one_project_per_topic",
                violation_error_message=_("This pairing already has a project on this topic."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("started_on")),
                name="project_due_after_start",
                violation_error_message=_("A project cannot be due before it starts."),
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="project_percent_max"),
        ]

    def __str__(self) -> str:
        return self.topic


class ProjectProgress(models.Model):
    """A dated progress entry; entries are appended, never edited (the trail)."""

    project = models.ForeignKey(
        JointProject,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("joint project"),
    )
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("what was done"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="progress_percent_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.on} · {self.percent}%"
