"""Membership transfers (组织关系转接): the letter that moves a member's party
relationship from one branch to another, inside the tree or across its edge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class TransferQuerySet(models.QuerySet):
    def open(self) -> TransferQuerySet:
        return self.filter(status__in=Transfer.OPEN_STATUSES)


class Transfer(models.Model):
    """One transfer letter with its steps: issued, received, confirmed (or cancelled).

    On confirmation the membership moves on the effective date (through
    `members.services`), so the person's history of branches stays whole.
    """

    class Direction(models.TextChoices):
        WITHIN = "within", _("Within the organisation")
        OUT = "out", _("Out to an outside organisation")
        IN = "in", _("In from an outside organisation")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RECEIVED = "received", _("Received")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.ISSUED, Status.RECEIVED)

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("member")
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    from_branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("from branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    to_branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name=_("to branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    outside_organisation = models.CharField(
        _("outside organisation"),
        max_length=150,
        blank=True,
        help_text=_("The party organisation outside the tree the member goes to or comes from."),
    )
    letter_year = models.PositiveSmallIntegerField(_("year of the letter"))
    letter_no = models.CharField(_("letter number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ISSUED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    history = HistoricalRecords()

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["letter_year", "letter_no"],
                name="one_letter_number_per_year",
                violation_error_message=_("This letter number is already used this year."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["issued", "received"]),
                name="one_open_transfer_per_person",
                violation_error_message=_("This member already has a transfer under way."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(direction="within", from_branch__isnull=False, to_branch__isnull=False)
                    | Q(direction="out", from_branch__isnull=False, to_branch__isnull=True)
                    | Q(direction="in", from_branch__isnull=True, to_branch__isnull=False)
                ),
                name="transfer_branches_fit_direction",
                violation_error_message=_("The branches do not fit the direction."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_year}-{self.letter_no} {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def origin(self) -> str:
        return self.from_branch.name if self.from_branch_id else self.outside_organisation

    @property
    def destination(self) -> str:
        return self.to_branch.name if self.to_branch_id else self.outside_organisation

    @property
    def receiving_side(self) -> Organisation:
        """The branch that receives and confirms: the destination inside the tree; the
        issuing branch for a letter out (when the receipt slip comes back)."""
        return self.from_branch if self.direction == self.Direction.OUT else self.to_branch
