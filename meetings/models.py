from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person
from supplychain_party.models import StoredFile


class MeetingKind(models.TextChoices):
    """Every kind of party-life meeting the regulations (and the company) name."""

    GENERAL_MEETING = "general_meeting", _("Branch general meeting (支部党员大会)")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting (支部委员会)")
    GROUP_MEETING = "group_meeting", _("Party-group meeting (党小组会)")
    PARTY_LESSON = "party_lesson", _("Party lesson (党课)")
    THEME_DAY = "theme_day", _("Theme party day (主题党日)")
    ORG_LIFE = "org_life", _("Organisational life meeting (组织生活会)")
    CENTRAL_STUDY = "central_study", _("Second-level central-group study (二级中心组学习)")


Kind = Organisation.Kind

# Which organisations hold which meetings: a group holds only group meetings, the
# central-group study is held by a general branch or the committee.
KINDS_FOR_ORGANISATION: dict[str, tuple[str, ...]] = {
    Kind.GROUP: (MeetingKind.GROUP_MEETING,),
    Kind.BRANCH: (
        MeetingKind.GENERAL_MEETING,
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.PARTY_LESSON,
        MeetingKind.THEME_DAY,
        MeetingKind.ORG_LIFE,
    ),
    Kind.GENERAL_BRANCH: (
        MeetingKind.CENTRAL_STUDY,
        MeetingKind.GENERAL_MEETING,
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.PARTY_LESSON,
        MeetingKind.THEME_DAY,
        MeetingKind.ORG_LIFE,
    ),
    Kind.COMMITTEE: (
        MeetingKind.CENTRAL_STUDY,
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.PARTY_LESSON,
        MeetingKind.ORG_LIFE,
    ),
}


class MeetingQuerySet(models.QuerySet):
    def submitted(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.SUBMITTED)

    def counted(self) -> MeetingQuerySet:
        """Meetings that count toward the obligations: submitted, and quorate (a
        meeting without its quorum is not valid)."""
        return self.submitted().filter(is_quorate=True)

    def drafts(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.DRAFT)

    def in_year(self, year: int) -> MeetingQuerySet:
        return self.filter(held_at__year=year)

    def with_attendance(self) -> MeetingQuerySet:
        """Annotate the attendance counts: one join and GROUP BY, whatever the rows."""
        status = Attendance.Status
        return self.annotate(
            expected_count=Count("attendances"),
            present_count=Count("attendances", filter=Q(attendances__status=status.PRESENT)),
            leave_count=Count("attendances", filter=Q(attendances__status=status.LEAVE)),
            absent_count=Count("attendances", filter=Q(attendances__status=status.ABSENT)),
        )


class Meeting(models.Model):
    """One meeting of a party organisation, with its minutes and attendance.

    A draft is edited freely; a submitted record counts for compliance, and every
    later change is kept in its history.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of meeting"), max_length=24, choices=MeetingKind.choices)
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    recorder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorder"),
    )
    lecturer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons_given",
        verbose_name=_("lecturer"),
        help_text=_("For a party lesson: who gave it."),
    )
    topic = models.CharField(_("topic"), max_length=200)
    content = models.TextField(_("content and minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The quorum as it stood when the meeting was submitted (the rule, the members
    # with a vote and their statuses may all change later; the meeting's validity
    # does not). Empty when no quorum rule applies to the kind.
    quorum_voters = models.PositiveSmallIntegerField(
        _("members entitled to attend"), null=True, blank=True
    )
    quorum_present = models.PositiveSmallIntegerField(_("of them present"), null=True, blank=True)
    quorum_needed = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    is_quorate = models.BooleanField(
        _("quorate"),
        default=True,
        help_text=_(
            "A submitted meeting without its quorum is kept in the record but does "
            "not count toward the obligations."
        ),
    )
    # The create form carries a one-time token: the same form posted twice (a double
    # click, a browser resend) hits this unique key instead of making two meetings.
    form_token = models.UUIDField(
        _("form token"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["form_token", "updated_at"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # The compliance count: submitted meetings per organisation, kind and date.
            models.Index(
                fields=["organisation", "kind", "held_at"],
                name="meeting_submitted_idx",
                condition=Q(status="submitted"),
            ),
            models.Index(fields=["organisation", "-held_at"], name="meeting_org_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_meeting_has_time",
                violation_error_message=_("A submitted meeting records when it was submitted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d} {self.topic}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def counts_for_compliance(self) -> bool:
        return self.is_submitted and self.is_quorate

    @property
    def attendance_rate(self) -> float | None:
        """Share of expected attendees present (needs `with_attendance()`)."""
        expected = getattr(self, "expected_count", None)
        if not expected:
            return None
        return self.present_count / expected


class AttendanceQuerySet(models.QuerySet):
    def missed(self) -> AttendanceQuerySet:
        """Leave and absence on submitted meetings: what calls for make-up study."""
        return self.filter(
            status__in=(Attendance.Status.LEAVE, Attendance.Status.ABSENT),
            meeting__status=Meeting.Status.SUBMITTED,
        )

    def makeup_pending(self) -> AttendanceQuerySet:
        return self.missed().filter(makeup_done_on__isnull=True)


class Attendance(models.Model):
    """Whether one expected person attended one meeting, and their make-up study."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    makeup_done_on = models.DateField(_("make-up study done on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "person__name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="one_attendance_per_person",
                violation_error_message=_("This person is already on the attendance list."),
            ),
            models.CheckConstraint(
                condition=~Q(status="leave") | ~Q(leave_reason=""),
                name="leave_has_reason",
                violation_error_message=_("Give the reason for the leave."),
            ),
            models.CheckConstraint(
                condition=Q(makeup_done_on__isnull=True) | ~Q(status="present"),
                name="makeup_only_when_missed",
                violation_error_message=_("Only a missed meeting is made up."),
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="attendance_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"meetings/{today:%Y/%m}/{instance.meeting_id}/{filename}"


class Attachment(StoredFile):
    """A photo, a paper sign-in sheet or another file kept with a meeting."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        SIGN_IN_SHEET = "sign_in_sheet", _("Sign-in sheet")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)


class QuorumRule(models.Model):
    """How many must be present for a meeting of a kind to be valid.

    Seeded from 《中国共产党支部工作条例（试行）》: a branch general meeting needs more than
    half of the members with a vote (full members), a committee meeting more than
    half of the committee. Edited by the committee in the admin.
    """

    class Voters(models.TextChoices):
        FULL_MEMBERS = "full_members", _("Full members expected (those with a vote)")
        EXPECTED = "expected", _("Everyone expected")

    meeting_kind = models.CharField(
        _("kind of meeting"),
        max_length=24,
        choices=MeetingKind.choices,
        unique=True,
        error_messages={"unique": _("There is already a quorum for this kind of meeting.")},
    )
    voters = models.CharField(
        _("counted among"),
        max_length=20,
        choices=Voters.choices,
        default=Voters.FULL_MEMBERS,
        help_text=_("Whom the share is taken of: probationary members have no vote."),
    )
    more_than_percent = models.PositiveSmallIntegerField(
        _("more than (percent) present"),
        default=50,
        help_text=_("50: more than half must be present; 80: more than four fifths."),
    )
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_kind"]
        verbose_name = _("quorum")
        verbose_name_plural = _("quorums")
        constraints = [
            models.CheckConstraint(
                condition=Q(more_than_percent__lt=100),
                name="quorum_below_everyone",
                violation_error_message=_("The share must be below 100 percent."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s: more than %(percent)d%% present") % {
            "kind": self.get_meeting_kind_display(),
            "percent": self.more_than_percent,
        }

    def needed(self, voters: int) -> int:
        """The fewest present that is *more than* the share of `voters`."""
        return voters * self.more_than_percent // 100 + 1


class ComplianceRule(models.Model):
    """How often an organisation of a kind must hold a kind of meeting.

    Seeded from the regulations (《中国共产党支部工作条例（试行）》) and edited by the
    committee in the admin: a company may set stricter rules, and the rules change.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    class Condition(models.TextChoices):
        ALWAYS = "always", _("Always")
        HAS_COMMITTEE = "has_committee", _("Only when the organisation has a branch committee")

    class GivenBy(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        SECRETARY = "secretary", _("The organisation's secretary")

    meeting_kind = models.CharField(
        _("kind of meeting"), max_length=24, choices=MeetingKind.choices
    )
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=Organisation.Kind.choices
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    minimum_count = models.PositiveSmallIntegerField(_("at least"), default=1)
    applies_when = models.CharField(
        _("applies"),
        max_length=20,
        choices=Condition.choices,
        default=Condition.ALWAYS,
        help_text=_(
            "A branch has a branch committee when its full members reach the structure "
            "rule “Full members from which a branch has a branch committee” (7 in the "
            "regulations); a smaller branch has a secretary instead and no committee "
            "meetings to hold."
        ),
    )
    given_by = models.CharField(
        _("counts lessons given by"),
        max_length=20,
        choices=GivenBy.choices,
        default=GivenBy.ANYONE,
        help_text=_(
            "For party lessons: count only those whose lecturer is the organisation's "
            "secretary in post (the regulations: the branch secretary gives at least one "
            "party lesson a year)."
        ),
    )
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_kind", "period", "meeting_kind", "given_by"]
        verbose_name = _("party-life rule")
        verbose_name_plural = _("party-life rules")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_kind", "organisation_kind", "given_by"],
                name="one_rule_per_meeting_organisation_kind_lecturer",
                violation_error_message=_(
                    "There is already a rule for this kind of meeting and organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(given_by="anyone") | Q(meeting_kind="party_lesson"),
                name="rule_lecturer_only_for_lessons",
                violation_error_message=_("Only a party lesson has a lecturer to count by."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_count__gte=1),
                name="rule_requires_at_least_one",
                violation_error_message=_("A rule requires at least one meeting."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(org)s: %(kind)s at least %(n)d per %(period)s") % {
            "org": self.get_organisation_kind_display(),
            "kind": self.label,
            "n": self.minimum_count,
            "period": self.get_period_display(),
        }

    @property
    def label(self) -> str:
        """What the rule asks for, e.g. "Party lesson given by the secretary"."""
        # The enum's label, not get_meeting_kind_display(): that one translates every
        # choice on each call, and a roll-up page asks a hundred times.
        try:
            kind = str(MeetingKind(self.meeting_kind).label)
        except ValueError:  # a kind no longer offered
            kind = self.meeting_kind
        if self.given_by == self.GivenBy.SECRETARY:
            return _("%(kind)s given by the secretary") % {"kind": kind}
        return kind


class ComplianceSummary(models.Model):
    """What one organisation owes and has held, as of one month: the obligations of
    the periods containing that month (the month, its quarter and its year).

    A maintained summary, so that a roll-up over a provincial tree reads one row per
    organisation instead of counting meetings and members for thousands of them.
    `meetings.summary` writes it: for the organisation whenever one of its meetings is
    submitted, for everyone when a rule changes, and hourly for the current year (a
    change of secretary or of headcount shows by then). The live reads in
    `meetings.selectors` stay the reference that the summary is tested against.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="compliance_summaries",
        verbose_name=_("organisation"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    required = models.PositiveIntegerField(_("required"))
    held = models.PositiveIntegerField(_("held"))
    missing = models.PositiveIntegerField(_("missing"))
    # [{"rule": pk, "period": "2026-Q4", "due": "2026-12-31", "required": 3, "held": 1}]
    obligations = models.JSONField(_("obligations"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("compliance summary")
        verbose_name_plural = _("compliance summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_compliance_summary_per_month"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "-missing"], name="compliance_summary_worst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"


class ComplianceSummaryRefresh(models.Model):
    """The last refresh of a month's compliance summary over every organisation.

    Every organisation a rule applied to when that run read the tree (`started_at`) has
    its row for the month, so `meetings.summary.ensure` looks only at organisations and
    rules changed since (their history) instead of at the whole tree on every page.
    """

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        verbose_name = _("compliance summary refresh")
        verbose_name_plural = _("compliance summary refreshes")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.started_at:%Y-%m-%d %H:%M}"
