"""Pledges (亮牌承诺) and designations (党员示范岗, 党员安全责任区)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class PledgeQuerySet(models.QuerySet):
    def pending(self) -> PledgeQuerySet:
        return self.filter(status=Pledge.Status.SUBMITTED)

    def approved(self) -> PledgeQuerySet:
        return self.filter(status=Pledge.Status.APPROVED)


class Pledge(models.Model):
    """A member's public service pledge for one year: written by the member, approved
    (or returned with a reason) by the branch secretary, then shown on the card."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("member")
    )
    # The branch when the pledge was written: who approves it, and how lists scope it.
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("branch")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("pledge"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "person__name", "pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="one_pledge_per_person_per_year",
                violation_error_message=_("This member already has a pledge for this year."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="pledge_returned_with_reason",
                violation_error_message=_("A returned pledge needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["branch", "year", "status"], name="pledge_branch_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DesignationQuerySet(models.QuerySet):
    def active(self) -> DesignationQuerySet:
        return self.filter(status=Designation.Status.ACTIVE)


class Designation(models.Model):
    """A member model post (党员示范岗) or a safety responsibility zone (党员安全责任区)
    that a branch names, with the members responsible and the dates it runs."""

    class Kind(models.TextChoices):
        MODEL_POST = "model_post", _("Member model post")
        SAFETY_ZONE = "safety_zone", _("Safety responsibility zone")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("branch"),
    )
    responsible = models.ManyToManyField(
        Person, related_name="designations", verbose_name=_("responsible members")
    )
    node = models.ForeignKey(
        "branches.BusinessNode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business node"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    criteria = models.TextField(_("criteria"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "kind", "name", "pk"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"],
                condition=Q(status="active"),
                name="one_active_designation_per_name",
                violation_error_message=_(
                    "The branch already has an active designation with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="designation_ends_after_start",
                violation_error_message=_("A designation cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"
