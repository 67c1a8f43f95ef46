"""The problem ledger: categories, problems, their events and escalations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person

from .visits import Opinion


class ProblemCategory(models.Model):
    """A category of problem (物资管理, 优质服务, 员工关怀, 其他), edited in the admin, with
    the lead time of its reminder and the pace of its escalation."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind the owner this many days before the deadline"), default=3
    )
    escalate_every_days = models.PositiveSmallIntegerField(
        _("days between escalation levels"), default=3,
        help_text=_("An overdue problem goes to the parent organisation the day after its "
                    "deadline, and one level further up after each such interval."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(escalate_every_days__gte=1), name="escalation_interval_positive",
                violation_error_message=_("Escalate at most once a day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProblemState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
    WRITTEN_OFF = "written_off", _("Written off")


OPEN_STATES = (ProblemState.REGISTERED, ProblemState.IN_PROGRESS)


class ProblemQuerySet(models.QuerySet):
    def open(self) -> ProblemQuerySet:
        """Not yet resolved: the deadline still matters."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: datetime.date | None = None) -> ProblemQuerySet:
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def within_subtree(self, organisation: Organisation) -> ProblemQuerySet:
        return self.filter(organisation__path__startswith=organisation.path)

    def reminder_due(self, now: datetime.datetime) -> ProblemQuerySet:
        return self.open().filter(remind_after__lte=now)

    def escalation_due(self, now: datetime.datetime) -> ProblemQuerySet:
        return self.open().filter(escalate_after__lte=now)


class Problem(models.Model):
    """A registered problem (挂号), followed until it is written off (销号).

    `state` moves only through `liaison.services.problem_transition`, which writes a
    `ProblemEvent` for each step. `remind_after` and `escalate_after` are the row's
    schedule: set while the problem is open, cleared once it is resolved; the sweeps
    claim a due row with a conditional UPDATE, so each reminder and each escalation
    level happens once.
    """

    State = ProblemState

    class FeedbackMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("In person")
        MEETING = "meeting", _("At a meeting")
        WRITTEN = "written", _("In writing")

    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opinion = models.OneToOneField(
        Opinion, on_delete=models.PROTECT, null=True, blank=True, related_name="problem",
        verbose_name=_("source opinion"),
    )
    category = models.ForeignKey(
        ProblemCategory, on_delete=models.PROTECT, related_name="problems",
        verbose_name=_("category"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="problems",
        verbose_name=_("responsible organisation"),
    )
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="problems_owned",
        verbose_name=_("person responsible"),
    )
    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="problems_raised",
        verbose_name=_("raised by"),
    )
    registered_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=16, choices=ProblemState.choices, default=ProblemState.REGISTERED
    )
    resolution = models.TextField(_("how it was solved"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    feedback_method = models.CharField(
        _("feedback by"), max_length=10, choices=FeedbackMethod.choices, blank=True
    )
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    written_off_at = models.DateTimeField(_("written off at"), null=True, blank=True)
    written_off_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("written off by"),
    )
    # The schedule, on the row (see the class docstring).
    remind_after = models.DateTimeField(_("remind after"), null=True, blank=True)
    escalate_after = models.DateTimeField(_("escalate after"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    history = HistoricalRecords()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["remind_after"], name="problem_remind_due_idx",
                         condition=Q(remind_after__isnull=False)),
            models.Index(fields=["escalate_after"], name="problem_escalate_due_idx",
                         condition=Q(escalate_after__isnull=False)),
            models.Index(fields=["organisation", "state"], name="problem_org_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProblemState.values), name="problem_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state="written_off") | Q(written_off_at__isnull=False),
                name="written_off_problem_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["resolved", "feedback_given", "written_off"])
                | Q(resolved_at__isnull=False),
                name="resolved_problem_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["feedback_given", "written_off"])
                | (Q(feedback_at__isnull=False) & Q(satisfied__isnull=False)),
                name="feedback_recorded_before_write_off",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())


class ProblemEvent(models.Model):
    """One step of a problem: who moved it, when, from which state to which, and why.
    Escalations are steps too (the state stays, the note says where it went)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="events", verbose_name=_("problem")
    )
    action = models.CharField(_("action"), max_length=20)
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("login"),
    )
    at = models.DateTimeField(_("at"))
    from_state = models.CharField(_("from"), max_length=16, choices=ProblemState.choices,
                                  blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=ProblemState.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.from_state} → {self.to_state}"


class Escalation(models.Model):
    """An overdue problem handed one level up; (problem, level) is unique, so each
    level happens once however many sweeps run."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="escalations",
        verbose_name=_("problem"),
    )
    level = models.PositiveSmallIntegerField(_("level"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="escalations_received",
        verbose_name=_("escalated to"),
    )
    escalated_at = models.DateTimeField(_("escalated at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-escalated_at", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(fields=["problem", "level"],
                                    name="one_escalation_per_problem_level",
                                    violation_error_message=_("Already escalated to this level.")),
            models.CheckConstraint(condition=Q(level__gte=1), name="escalation_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.problem} → {self.organisation} ({self.level})"
