"""Cadres' contact points and members' pairings with the masses."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Person


class ContactPoint(models.Model):
    """A cadre's contact point (联系点): a team, department, site or community they are
    assigned to, and the work team they are paired with (对口联系班组)."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team")
        DEPARTMENT = "department", _("Department")
        SITE = "site", _("Site")
        COMMUNITY = "community", _("Community")

    cadre = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("cadre")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("contact point"), max_length=100)
    paired_team = models.CharField(
        _("paired work team"), max_length=100, blank=True,
        help_text=_("The work team the cadre keeps in touch with (对口联系班组)."),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cadre__name", "kind", "name", "pk"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "kind", "name"], condition=Q(ended_on__isnull=True),
                name="one_open_contact_point_per_cadre_name",
                violation_error_message=_("This cadre already has this contact point."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="contact_point_ends_after_start",
                violation_error_message=_("A contact point cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.name}"


class PairingQuerySet(models.QuerySet):
    def open(self, on: datetime.date | None = None) -> PairingQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class Pairing(models.Model):
    """A member paired with a non-party colleague (联帮促); a member has at most two
    open pairings (enforced by `pairing_create`, under a row lock on the member)."""

    MAX_OPEN_PER_MEMBER = 2

    member = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("member")
    )
    partner = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="paired_with",
        verbose_name=_("paired colleague"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "-started_on", "pk"]
        verbose_name = _("member–colleague pairing")
        verbose_name_plural = _("member–colleague pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "partner"], condition=Q(ended_on__isnull=True),
                name="one_open_pairing_per_couple",
                violation_error_message=_("These two are already paired."),
            ),
            models.CheckConstraint(
                condition=~Q(member=F("partner")), name="pairing_not_with_oneself",
                violation_error_message=_("A member cannot be paired with themself."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="member_pairing_ends_after_start",
                violation_error_message=_("A pairing cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ⇄ {self.partner}"
