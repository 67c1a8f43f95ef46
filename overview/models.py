from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Segment


def _counter(label: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, help_text=help_text)


class Counters(models.Model):
    """The counters the overview sums: what `MonthlyFigures` holds for an
    organisation's own records and `SubtreeFigures` for its whole subtree."""

    # -- party life (submitted meetings held in the month) -----------------------------
    meetings_held = _counter(_("meetings held"), _("Submitted and quorate."))
    lessons_held = _counter(_("party lessons held"))
    studies_held = _counter(_("central-group studies held"))
    attendance_expected = _counter(_("attendance expected"))
    attendance_present = _counter(_("attendance present"))
    # -- liaison and the problem ledger ------------------------------------------------
    visits = _counter(_("visits filed"))
    opinions = _counter(_("opinions raised"))
    problems_registered = _counter(_("problems registered"))
    problems_resolved = _counter(_("problems resolved"))
    problems_written_off = _counter(_("problems written off"))
    problems_written_off_on_time = _counter(_("problems written off, resolved by the deadline"))
    problems_open = _counter(_("problems open at the month's end"))
    problems_overdue = _counter(_("problems overdue at the month's end"))
    # -- member development (by the branch of the record) -------------------------------
    applicants = _counter(_("applications received"))
    activists = _counter(_("activists named"))
    candidates = _counter(_("development candidates named"))
    admitted = _counter(_("admitted as probationary members"))
    # -- study (by the current branch of the person who earned them) -------------------
    credits = models.DecimalField(
        _("study credits"), max_digits=12, decimal_places=1, default=Decimal(0)
    )
    # -- the year's assessments (January row) -------------------------------------------
    branch_excellent = _counter(_("branch assessments graded excellent"))
    branch_standard = _counter(_("branch assessments up to standard"))
    branch_substandard = _counter(_("branch assessments below standard"))
    branch_pending = _counter(_("branch assessments not yet approved"))
    appraisal_excellent = _counter(_("members appraised excellent"))
    appraisal_qualified = _counter(_("members appraised qualified"))
    appraisal_basic = _counter(_("members appraised basically qualified"))
    appraisal_unqualified = _counter(_("members appraised unqualified"))

    class Meta:
        abstract = True


class MonthlyFigures(Counters):
    """The counters of one organisation's OWN records in one month (not its subtree's).

    A maintained summary written only by `overview.summary.refresh`, so that the
    dashboard of any organisation sums these rows over its subtree (a join on the
    organisation's path prefix) instead of counting a million attendance rows on
    every request. Three kinds of column:

    - flows, additive over months and organisations: what happened in the month
      (meetings held, attendance, visits, problems registered, members developed...);
    - states, additive over organisations only: problems open and overdue as of the
      month's last day (as of `computed_at` in the current month); a quarter or a year
      reads the row of its last begun month;
    - yearly counters, kept on the January row of the year (grades of the year's
      branch assessment and democratic appraisal), so that the year's rows summed
      give the year's distribution.

    Rows whose counters are all zero are not stored.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="monthly_figures",
        verbose_name=_("organisation"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    # The branch the organisation belongs to: itself for a branch, its parent for a
    # party group, none above. Resolved once per refresh, so that the segment view
    # groups a branch with its groups without walking up the tree for every row; the
    # segment itself is read through it, so a branch moved to another segment shows at
    # once.
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    # When the row's counters last changed (a refresh that finds them equal leaves the
    # row alone; `Refresh.finished_at` says when they were last confirmed).
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_monthly_figures_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_figures_first_of_month"
            ),
        ]
        # The dashboard reads a month range of a subtree's organisations.
        indexes = [models.Index(fields=["month", "organisation"], name="monthly_figures_month_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"


class SubtreeFigures(Counters):
    """The counters of an organisation's whole subtree in one month: its own
    `MonthlyFigures` and those of everything below it added up, and the compliance
    summary's rows of the month likewise.

    Derived from those two summaries by `overview.summary.refresh`, in the same
    transaction as the monthly figures, so a dashboard reads a dozen rows of its
    organisation and one per child, whatever the size of the tree, rather than adding
    up a hundred thousand rows per request. The compliance totals are therefore as
    of the last refresh; `compliance_computed_at` says how old.

    Rows for months with nothing to count are not stored.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="subtree_figures",
        verbose_name=_("organisation"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    compliance_rows = _counter(
        _("compliance rows"), _("Organisations of the subtree with a compliance summary.")
    )
    compliance_required = _counter(_("obligations owed"))
    compliance_held = _counter(_("meetings held towards obligations"))
    compliance_missing = _counter(_("obligations missing"))
    compliance_computed_at = models.DateTimeField(
        _("compliance computed at"), null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("subtree figures")
        verbose_name_plural = _("subtree figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_subtree_figures_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="subtree_figures_first_of_month"
            ),
        ]
        # The segment breakdown reads a month range of the subtree's branches.
        indexes = [models.Index(fields=["month", "organisation"], name="subtree_figures_month_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} (subtree)"


class SegmentFigures(Counters):
    """The counters of the branches of one supply-chain segment under a committee or
    general branch in one month: their `SubtreeFigures` (a branch with its party
    groups) added up by the branch's segment, for the dashboard's segment breakdown.

    Rewritten with `SubtreeFigures` by `overview.summary.refresh`. A branch's or a
    group's breakdown is its own subtree's total, so only organisations above the
    branches have rows; records of no branch (a committee's own meetings) belong to
    no segment and are not here. `segment` is empty for branches without one.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="segment_figures",
        verbose_name=_("organisation"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    segment = models.ForeignKey(
        Segment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("segment figures")
        verbose_name_plural = _("segment figures")
        indexes = [
            models.Index(fields=["organisation", "month"], name="segment_figures_org_month_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} {self.segment_id}"


class Refresh(models.Model):
    """The last run of `overview.summary.refresh` over every organisation for a year:
    the time the pages give as "figures as of", and what the run did."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    finished_at = models.DateTimeField(_("finished at"))
    rows = models.PositiveIntegerField(_("rows of the year"))
    written = models.PositiveIntegerField(_("rows written"), help_text=_("New or changed."))
    deleted = models.PositiveIntegerField(_("rows deleted"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("overview refresh")
        verbose_name_plural = _("overview refreshes")

    def __str__(self) -> str:
        return f"{self.year} {self.finished_at:%Y-%m-%d %H:%M}"


# The columns summed by the pages, in three kinds (see the class docstring).
FLOWS = (
    "meetings_held",
    "lessons_held",
    "studies_held",
    "attendance_expected",
    "attendance_present",
    "visits",
    "opinions",
    "problems_registered",
    "problems_resolved",
    "problems_written_off",
    "problems_written_off_on_time",
    "applicants",
    "activists",
    "candidates",
    "admitted",
    "credits",
)
STATES = ("problems_open", "problems_overdue")
YEARLY = (
    "branch_excellent",
    "branch_standard",
    "branch_substandard",
    "branch_pending",
    "appraisal_excellent",
    "appraisal_qualified",
    "appraisal_basic",
    "appraisal_unqualified",
)
COUNTERS = FLOWS + STATES + YEARLY
# What `SubtreeFigures` adds: the compliance summary of the month, summed.
COMPLIANCE = ("compliance_rows", "compliance_required", "compliance_held", "compliance_missing")
