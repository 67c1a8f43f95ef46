"""Forums, lectures and team activities, with speakers and attendees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class Activity(models.Model):
    """A forum (物资文化讲坛, 物资科技论坛), a staff-taught lecture (员工讲大家听) or a
    team activity (skills contest, dragon boat, outward bound ...)."""

    class Kind(models.TextChoices):
        CULTURE_FORUM = "culture_forum", _("Materials culture forum")
        TECH_FORUM = "tech_forum", _("Materials technology forum")
        STAFF_LECTURE = "staff_lecture", _("Staff-taught lecture")
        TEAM_ACTIVITY = "team_activity", _("Team activity")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organiser"),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # A random token from the form, so a double submit creates one activity.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(excluded_fields=["form_token"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organisation", "held_on"], name="activity_org_idx")]

    def __str__(self) -> str:
        return self.title


class ActivitySpeaker(models.Model):
    """Who spoke: one of our people, or an outside name."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("speaker"),
    )
    outside_name = models.CharField(_("outside speaker"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(outside_name=""))
                | (Q(person__isnull=True) & ~Q(outside_name="")),
                name="speaker_person_or_outside_name",
                violation_error_message=_(
                    "A speaker is one of our people or an outside name, not both."
                ),
            ),
            models.UniqueConstraint(fields=["activity", "person"], name="one_talk_per_person"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.person.name if self.person_id else self.outside_name


class ActivityAttendance(models.Model):
    """A member who attended, recorded like meeting attendance."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("activity"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="activity_attendances",
        verbose_name=_("attendee"),
    )

    class Meta:
        ordering = ["person__name", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_attendance_each"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"
