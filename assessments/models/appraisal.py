"""Democratic appraisal of members: the branch's appraisal, entries and votes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person

from .fields import BRANCH
from .schemes import Scheme


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    QUALIFIED = "qualified", _("Qualified (合格)")
    BASIC = "basic", _("Basically qualified (基本合格)")
    UNQUALIFIED = "unqualified", _("Unqualified (不合格)")


LOW_GRADES = (AppraisalGrade.BASIC, AppraisalGrade.UNQUALIFIED)


class Appraisal(models.Model):
    """A branch's democratic appraisal of its members (民主评议党员) for a year."""

    class State(models.TextChoices):
        OPEN = "open", _("Under way")
        DECIDED = "decided", _("Decided by the branch meeting")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="appraisals",
                               verbose_name=_("scheme"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                               related_name="appraisals", verbose_name=_("branch"),
                               limit_choices_to=BRANCH)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    decided_on = models.DateField(_("branch meeting held on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheme__year", "branch__path"]
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "branch"], name="one_appraisal_per_year",
                                    violation_error_message=_("This branch already has an "
                                                              "appraisal for the year.")),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.scheme.year}"


class AppraisalEntry(models.Model):
    """One member in the appraisal: self-assessment, the mutual votes, the branch
    committee's proposal, the branch meeting's decision, and follow-up if low."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="entries",
                                  verbose_name=_("appraisal"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="appraisal_entries", verbose_name=_("member"))
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    votes_excellent = models.PositiveSmallIntegerField(_("votes: excellent"), default=0)
    votes_qualified = models.PositiveSmallIntegerField(_("votes: qualified"), default=0)
    votes_basic = models.PositiveSmallIntegerField(_("votes: basically qualified"), default=0)
    votes_unqualified = models.PositiveSmallIntegerField(_("votes: unqualified"), default=0)
    proposed_grade = models.CharField(_("committee's proposal"), max_length=12,
                                      choices=AppraisalGrade.choices, blank=True)
    decided_grade = models.CharField(_("branch meeting's decision"), max_length=12,
                                     choices=AppraisalGrade.choices, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True,
                                 help_text=_("Talks, help or measures for a low grade."))
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["appraisal", "person__name", "pk"]
        verbose_name = _("appraisal entry")
        verbose_name_plural = _("appraisal entries")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "person"],
                                    name="one_entry_per_member",
                                    violation_error_message=_("This member is already in the "
                                                              "appraisal.")),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.appraisal}"

    @property
    def needs_follow_up(self) -> bool:
        return self.decided_grade in LOW_GRADES and self.follow_up_done_on is None


class AppraisalVote(models.Model):
    """One member's mutual-appraisal vote (互评) for a colleague of their branch: one per
    voter and colleague (a new vote replaces it while the appraisal is open). The
    entry's vote counts are kept by `services.appraisal_vote_cast`."""

    entry = models.ForeignKey(AppraisalEntry, on_delete=models.CASCADE, related_name="votes",
                              verbose_name=_("appraisal entry"))
    voter = models.ForeignKey(Person, on_delete=models.CASCADE,
                              related_name="appraisal_votes", verbose_name=_("voter"))
    grade = models.CharField(_("grade"), max_length=12, choices=AppraisalGrade.choices)
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        ordering = ["entry", "voter"]
        verbose_name = _("mutual appraisal vote")
        verbose_name_plural = _("mutual appraisal votes")
        constraints = [
            models.UniqueConstraint(fields=["entry", "voter"], name="one_vote_per_voter_and_entry",
                                    violation_error_message=_("This member has already voted "
                                                              "for this colleague.")),
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.entry.person}: {self.get_grade_display()}"
