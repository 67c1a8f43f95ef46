"""Terms of committees (with the rule that sets their length and reminders), and the
election records that close them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person, Post

from .dates import add_months

Kind = Organisation.Kind
ELECTED_KINDS = (Kind.COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH)


class TermRule(models.Model):
    """How long a committee's term runs for one kind of organisation, and when the
    portal reminds before it ends. Data the committee edits in the admin; seeded with
    《中国共产党基层组织选举工作条例》 and 《中国共产党支部工作条例（试行）》."""

    organisation_kind = models.CharField(
        _("kind of organisation"),
        max_length=20,
        choices=[(k.value, k.label) for k in ELECTED_KINDS],
        unique=True,
    )
    years = models.PositiveSmallIntegerField(_("term in years"), default=3)
    first_reminder_months = models.PositiveSmallIntegerField(
        _("first reminder, months before the end"), default=6
    )
    second_reminder_months = models.PositiveSmallIntegerField(
        _("second reminder, months before the end"), default=1
    )
    source = models.CharField(_("source"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_kind"]
        verbose_name = _("term rule")
        verbose_name_plural = _("term rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1),
                name="term_rule_at_least_one_year",
                violation_error_message=_("A term lasts at least one year."),
            ),
            models.CheckConstraint(
                condition=Q(first_reminder_months__gte=F("second_reminder_months")),
                name="term_rule_reminders_in_order",
                violation_error_message=_(
                    "The first reminder comes before (or with) the second one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_organisation_kind_display()}: {self.years}"

    @classmethod
    def for_kind(cls, kind: str) -> TermRule:
        """The rule for `kind`; the regulations' values if the row was deleted."""
        rule = cls.objects.filter(organisation_kind=kind).first()
        return rule or cls(
            organisation_kind=kind, years=3, first_reminder_months=6, second_reminder_months=1
        )


class TermQuerySet(models.QuerySet):
    def open(self) -> TermQuerySet:
        return self.filter(closed_on__isnull=True)

    def ending_by(self, day: datetime.date) -> TermQuerySet:
        return self.open().filter(ends_on__lte=day)

    def overdue(self, today: datetime.date) -> TermQuerySet:
        return self.open().filter(ends_on__lt=today)


class Term(models.Model):
    """One term of an organisation's committee, from the election that opened it to
    the one that closes it. One open term per organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("organisation"),
    )
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"), help_text=_("Computed from the term rule."))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "-started_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        indexes = [
            models.Index(
                fields=["ends_on"], condition=Q(closed_on__isnull=True), name="term_open_ends_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(closed_on__isnull=True),
                name="one_open_term_per_organisation",
                violation_error_message=_("This organisation already has an open term."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("started_on")),
                name="term_ends_after_start",
                violation_error_message=_("A term ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="term_closes_after_start",
                violation_error_message=_("A term cannot close before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_on:%Y}–{self.ends_on:%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.ends_on < (today or timezone.localdate())

    def ends_within(self, months: int, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and today <= self.ends_on <= add_months(today, months)


class Election(models.Model):
    """An election of an organisation's committee (换届选举) or a by-election (补选):
    planned, candidates approved by the higher organisation, held (the vote), and its
    result made effective in the membership data."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular election (换届选举)")
        BY_ELECTION = "by_election", _("By-election (补选)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPROVED = "approved", _("Candidates approved")
        HELD = "held", _("Held")
        EFFECTIVE = "effective", _("Result effective")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="elections",
        verbose_name=_("organisation"),
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("term it closes"),
    )
    new_term = models.OneToOneField(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_by",
        verbose_name=_("term it opened"),
    )
    kind = models.CharField(
        _("kind of election"), max_length=12, choices=Kind.choices, default=Kind.REGULAR
    )
    is_contested = models.BooleanField(
        _("contested (差额选举)"),
        default=True,
        help_text=_("In a contested election the candidates exceed the seats by at least 20%."),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    planned_on = models.DateField(_("planned for"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    approved_on = models.DateField(_("candidates approved on"), null=True, blank=True)
    approval_document = models.CharField(_("approval document no."), max_length=60, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    entitled = models.PositiveIntegerField(
        _("members entitled to vote"),
        null=True,
        blank=True,
        help_text=_("Full members with voting rights; probationary members have no vote."),
    )
    present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    valid_ballots = models.PositiveIntegerField(_("valid ballots"), null=True, blank=True)
    effective_on = models.DateField(_("result effective on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("result confirmed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=~Q(status="effective"),
                name="one_running_election_per_organisation",
                violation_error_message=_("This organisation already has an election under way."),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="election_at_least_one_seat",
                violation_error_message=_("An election fills at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(entitled__isnull=True)
                | Q(present__lte=F("entitled")),
                name="election_present_within_entitled",
                violation_error_message=_("More members present than members entitled to vote."),
            ),
            models.CheckConstraint(
                condition=Q(valid_ballots__isnull=True)
                | Q(present__isnull=True)
                | Q(valid_ballots__lte=F("present")),
                name="election_ballots_within_present",
                violation_error_message=_("More valid ballots than members present."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.planned_on}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.EFFECTIVE


class Candidate(models.Model):
    """A candidate approved for an election, the votes they received, and the post the
    new committee gives them when they are elected."""

    ROLES = (
        Post.Role.SECRETARY,
        Post.Role.DEPUTY_SECRETARY,
        Post.Role.ORGANISATION,
        Post.Role.PROPAGANDA,
        Post.Role.DISCIPLINE,
        Post.Role.COMMITTEE,
    )

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="election_candidacies",
        verbose_name=_("candidate"),
    )
    votes = models.PositiveIntegerField(_("yes votes"), null=True, blank=True)
    is_elected = models.BooleanField(_("elected"), default=False)
    role = models.CharField(
        _("post taken"),
        max_length=20,
        blank=True,
        choices=[(r.value, r.label) for r in ROLES],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "-votes", "person__name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="one_candidacy_per_election",
                violation_error_message=_("This person is already a candidate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.election})"
