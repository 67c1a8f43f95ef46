"""Two-way mentoring (双向双带): experts mentor members, members mentor promising staff."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


class MentorPairQuerySet(models.QuerySet):
    def active(self) -> MentorPairQuerySet:
        return self.filter(ended_on__isnull=True)


class MentorPair(models.Model):
    """A mentor and a mentee with goals, dates and, once closed, the outcome."""

    class Kind(models.TextChoices):
        EXPERT_TO_MEMBER = "expert_member", _("Business expert mentors a member")
        MEMBER_TO_STAFF = "member_staff", _("Member mentors a promising colleague")

    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    mentor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentees_pairs", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name=_("mentee")
    )
    goals = models.TextField(_("goals"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    objects = MentorPairQuerySet.as_manager()

    class Meta:
        ordering = ["branch__path", "-started_on", "pk"]
        verbose_name = _("mentor pair")
        verbose_name_plural = _("mentor pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(ended_on__isnull=True),
                name="one_active_mentor_pair",
                violation_error_message=_("These two are already an active mentor pair."),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="mentor_not_own_mentee",
                violation_error_message=_("A mentor cannot mentor themself."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mentor_pair_ends_after_start",
                violation_error_message=_("A mentor pair cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"
