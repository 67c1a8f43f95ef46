"""Campaigns, visits and the opinions a visit gathers."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class Campaign(models.Model):
    """An opinion collection campaign (一份问卷听需求) run by an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("opinion campaign")
        verbose_name_plural = _("opinion campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    """A visit or heart-to-heart talk (走访谈心) a member filed, reviewed by the secretary."""

    class Method(models.TextChoices):
        FORUM = "forum", _("Group forum")
        ONE_TO_ONE = "one_to_one", _("One-to-one talk")
        PHONE = "phone", _("Phone call")

    visitor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits_made", verbose_name=_("visitor")
    )
    visited = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits_received",
        verbose_name=_("person visited"),
    )
    # The visitor's branch when the visit was filed: the branch that reviews it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="visits",
        verbose_name=_("branch"),
    )
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    discussion = models.TextField(_("what was discussed"))
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits",
        verbose_name=_("campaign"),
    )
    reviewed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        indexes = [
            # The secretary's review list: the branch's visits not yet reviewed.
            models.Index(fields=["organisation"], name="visit_unreviewed_idx",
                         condition=Q(reviewed_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visitor=F("visited")), name="visit_not_to_oneself",
                violation_error_message=_("A member cannot visit themself."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="visit_review_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} → {self.visited} {self.visited_on}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class Opinion(models.Model):
    """An opinion or request raised by staff, from a visit, a campaign or a meeting."""

    class Source(models.TextChoices):
        VISIT = "visit", _("Visit")
        CAMPAIGN = "campaign", _("Campaign questionnaire")
        MEETING = "meeting", _("Meeting")

    text = models.TextField(_("opinion"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="opinions",
        verbose_name=_("visit"),
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="opinions",
        verbose_name=_("campaign"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="opinions", verbose_name=_("meeting"),
    )
    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="opinions_raised",
        verbose_name=_("raised by"),
    )
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    # The organisation that collected it: where it is counted and who may register it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="opinions",
        verbose_name=_("collected by"),
    )
    raised_on = models.DateField(_("raised on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="visit") | Q(visit__isnull=False),
                name="opinion_from_visit_has_visit",
            ),
            models.CheckConstraint(
                condition=~Q(source="campaign") | Q(campaign__isnull=False),
                name="opinion_from_campaign_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]
