"""A person's way from applicant to full member, with its dated events."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class Stage(models.TextChoices):
    """Where a candidacy stands; the last two close it."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Development candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


class CandidacyQuerySet(models.QuerySet):
    def open(self) -> CandidacyQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def admitted_between(self, start: datetime.date, end: datetime.date) -> CandidacyQuerySet:
        """Developed (admitted by a branch general meeting) in [start, end]; a cancelled
        probation does not count."""
        return self.filter(admitted_on__gte=start, admitted_on__lte=end).exclude(
            stage=Stage.CANCELLED
        )


class Candidacy(models.Model):
    """One person's development record in a branch: one open at a time per person.

    Every date column is written by one step of `development.services`, which checks
    the order, the minimum durations and the required items against the rules.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT
    )
    applied_on = models.DateField(_("application received on"))
    talked_on = models.DateField(_("talk held on"), null=True, blank=True)
    activist_on = models.DateField(
        _("named activist on"),
        null=True,
        blank=True,
        help_text=_("The date of the branch committee's decision."),
    )
    activist_filed_on = models.DateField(
        _("filed with the higher committee on"), null=True, blank=True
    )
    candidate_on = models.DateField(_("named development candidate on"), null=True, blank=True)
    reviewed_on = models.DateField(_("political review concluded on"), null=True, blank=True)
    review_conclusion = models.CharField(
        _("political review conclusion"), max_length=200, blank=True
    )
    training_from = models.DateField(_("training from"), null=True, blank=True)
    training_to = models.DateField(_("training until"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("training days"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("class hours"), null=True, blank=True)
    admitted_on = models.DateField(
        _("admitted by the branch general meeting on"), null=True, blank=True
    )
    approved_on = models.DateField(_("approved by the higher committee on"), null=True, blank=True)
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    extended_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        ordering = ["branch__path", "person__name", "pk"]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        indexes = [models.Index(fields=["branch", "stage"], name="candidacy_branch_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(stage__in=OPEN_STAGES),
                name="one_open_candidacy_per_person",
                violation_error_message=_("This person already has an open development record."),
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__isnull=True) | Q(admitted_on__gte=F("applied_on")),
                name="candidacy_admitted_after_application",
                violation_error_message=_("Admission cannot come before the application."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class CultivatingContact(models.Model):
    """A full member named to cultivate an activist (培养联系人); one or two."""

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("development record"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("cultivating contact")
    )
    named_on = models.DateField(_("named on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["named_on", "pk"]
        verbose_name = _("cultivating contact")
        verbose_name_plural = _("cultivating contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "person"],
                name="one_contact_row_per_person",
                violation_error_message=_("This member is already a cultivating contact."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Introducer(models.Model):
    """A full member who introduces the candidate (入党介绍人); exactly two."""

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="introducers",
        verbose_name=_("development record"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("introducer")
    )
    named_on = models.DateField(_("named on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["named_on", "pk"]
        verbose_name = _("introducer")
        verbose_name_plural = _("introducers")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "person"],
                name="one_introducer_row_per_person",
                violation_error_message=_("This member is already an introducer."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Assessment(models.Model):
    """The branch's half-yearly assessment of an activist (or candidate)."""

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("development record"),
    )
    assessed_on = models.DateField(_("assessed on"))
    conclusion = models.CharField(_("conclusion"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("half-yearly assessment")
        verbose_name_plural = _("half-yearly assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "assessed_on"],
                name="one_assessment_per_day",
                violation_error_message=_("An assessment is already recorded on this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidacy.person} {self.assessed_on}"


class Event(models.Model):
    """One line of a candidacy's timeline, written by the step that made it."""

    class Kind(models.TextChoices):
        APPLIED = "applied", _("Application received")
        TALKED = "talked", _("Talk held")
        ACTIVIST = "activist", _("Named activist")
        ASSESSED = "assessed", _("Half-yearly assessment")
        CANDIDATE = "candidate", _("Named development candidate")
        REVIEWED = "reviewed", _("Political review")
        TRAINED = "trained", _("Concentrated training")
        INTRODUCER = "introducer", _("Introducer named")
        ADMITTED = "admitted", _("Admitted by the branch general meeting")
        APPROVED = "approved", _("Approved by the higher committee")
        FULL = "full", _("Became a full member")
        EXTENDED = "extended", _("Probation extended")
        CANCELLED = "cancelled", _("Cancelled")

    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("development record"),
    )
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("date"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
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
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
