"""The members' service team (共产党员服务队): the team, its roster and its service log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class ServiceTeam(models.Model):
    """A members' service team, owned by an organisation (usually the committee or a
    general branch), that serves project units and suppliers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_teams",
        verbose_name=_("owning organisation"),
    )
    leader = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name


class TeamMemberQuerySet(models.QuerySet):
    def current(self, on=None) -> TeamMemberQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


class TeamMember(models.Model):
    """A place on a service team's roster, with dates. Only party members and those on
    the way to membership (activists, development candidates) may serve."""

    class Role(models.TextChoices):
        CAPTAIN = "captain", _("Captain")
        MEMBER = "member", _("Team member")

    ELIGIBLE_STATUSES = (
        Person.Status.ACTIVIST,
        Person.Status.CANDIDATE,
        Person.Status.PROBATIONARY,
        Person.Status.FULL,
    )

    team = models.ForeignKey(
        ServiceTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="service_team_places",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["team", "role", "joined_on", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(left_on__isnull=True),
                name="one_open_place_per_team_member",
                violation_error_message=_("This person is already on the team."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="team_member_leaves_after_joining",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team}"

    def clean(self) -> None:
        super().clean()
        if self.person_id and self.person.status not in self.ELIGIBLE_STATUSES:
            raise ValidationError(
                {
                    "person": _(
                        "Only party members and activists can join the service team; "
                        "%(name)s is “%(status)s”."
                    )
                    % {"name": self.person.name, "status": self.person.get_status_display()}
                },
                code="not_eligible",
            )


class ServiceRecordQuerySet(models.QuerySet):
    def for_list(self) -> ServiceRecordQuerySet:
        """Everything a log row shows, in a fixed number of queries."""
        return self.select_related("team", "recorded_by").prefetch_related("members")


class ServiceRecord(models.Model):
    """One entry of the team's service log: whom it served, who went, what was done
    and how it ended."""

    class Kind(models.TextChoices):
        NEEDS_SURVEY = "needs_survey", _("Needs survey")
        RECONCILIATION = "reconciliation", _("Account reconciliation")
        ON_SITE = "on_site", _("On-site coordination")
        OTHER = "other", _("Other")

    class UnitKind(models.TextChoices):
        PROJECT_UNIT = "project_unit", _("Project unit")
        SUPPLIER = "supplier", _("Supplier")

    team = models.ForeignKey(
        ServiceTeam, on_delete=models.PROTECT, related_name="records", verbose_name=_("team")
    )
    served_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of service"), max_length=20, choices=Kind.choices)
    unit_kind = models.CharField(_("unit served is a"), max_length=20, choices=UnitKind.choices)
    unit_name = models.CharField(_("unit served"), max_length=200)
    members = models.ManyToManyField(
        Person, related_name="service_records", verbose_name=_("members who went")
    )
    work_done = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [models.Index(fields=["team", "-served_on"], name="service_record_team_idx")]
        constraints = [
            # A double submit of the same service logs it once.
            models.UniqueConstraint(
                fields=["team", "served_on", "kind", "unit_name"],
                name="one_record_per_team_day_kind_unit",
                violation_error_message=_("This service is already in the log."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.served_on} {self.unit_name}"
