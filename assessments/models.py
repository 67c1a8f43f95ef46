from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person, Post

from .indicators import MANUAL, indicator_choices

BRANCH = {"kind": Organisation.Kind.BRANCH}
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _score_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)


# --- The yearly scheme --------------------------------------------------------------


class Scheme(models.Model):
    """The year's branch standards scheme (支部达标考核方案) and the year's rules for
    the other assessments, all edited by the committee in the admin."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    excellent_share_percent = _score_field(
        _("most members graded excellent (%)"), default=Decimal("33.33"), validators=PERCENT,
        help_text=_("Democratic appraisal: “excellent” generally for no more than one third "
                    "of the members."))
    excellent_share_source = models.CharField(
        _("source of the excellent share"), max_length=200, blank=True,
        default="《关于做好民主评议党员工作的通知》：评为优秀的一般不超过党员总数的三分之一")
    duty_party_weight = _score_field(
        _("party-building weight in one post, two duties (%)"), default=Decimal(50),
        validators=PERCENT,
        help_text=_("The rest is the weight of the business indicators."))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Grade(models.TextChoices):
    """A branch's standards grade."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    STANDARD = "standard", _("Up to standard (达标)")
    SUBSTANDARD = "substandard", _("Below standard (不达标)")


class GradeThreshold(models.Model):
    """The lowest total that earns a grade (e.g. 优秀 ≥ 90, 达标 ≥ 60)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="thresholds",
                               verbose_name=_("scheme"))
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    min_total = _score_field(_("from total"), validators=PERCENT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "-min_total"]
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "grade"], name="one_threshold_per_grade",
                                    violation_error_message=_("This grade already has a "
                                                              "threshold.")),
            models.CheckConstraint(condition=Q(min_total__gte=0, min_total__lte=100),
                                   name="threshold_in_range",
                                   violation_error_message=_("A threshold lies between 0 and "
                                                             "100.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ≥ {self.min_total}"


class CriterionGroup(models.Model):
    """A group of criteria (party life, education, liaison, business...) with its
    weight in the total; the weights of a scheme add up to 100."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups",
                               verbose_name=_("scheme"))
    name = models.CharField(_("name"), max_length=100)
    weight = _score_field(_("weight (%)"), validators=PERCENT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="criterion_group_unique_name",
                                    violation_error_message=_("The scheme already has a group "
                                                              "of this name.")),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100),
                                   name="group_weight_in_range",
                                   violation_error_message=_("A weight lies above 0 and at most "
                                                             "100.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Criterion(models.Model):
    """One criterion: a maximum score, and either a computed indicator as its source
    (scored `max_score × min(value / target, 1)`) or marks entered by hand."""

    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE,
                              related_name="criteria", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=200)
    max_score = _score_field(_("maximum score"))
    source = models.CharField(_("source"), max_length=40, choices=indicator_choices,
                              default=MANUAL)
    target = models.DecimalField(
        _("target for full marks"), max_digits=8, decimal_places=4, null=True, blank=True,
        help_text=_("For a computed source: the value that earns full marks (1 = 100%)."))
    evidence_guide = models.TextField(
        _("evidence required"), blank=True,
        help_text=_("What the branch shows to justify the score."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "group", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive",
                                   violation_error_message=_("A maximum score is above 0.")),
            models.CheckConstraint(
                condition=Q(source=MANUAL) | Q(target__gt=0), name="computed_criterion_target",
                violation_error_message=_("A computed criterion needs a target above 0.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source != MANUAL


# --- A branch's assessment ------------------------------------------------------------


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the general branch")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class BranchAssessmentQuerySet(models.QuerySet):
    def for_year(self, year: int) -> BranchAssessmentQuerySet:
        return self.filter(scheme__year=year)

    def awaiting_decision(self) -> BranchAssessmentQuerySet:
        return self.filter(state__in=(AssessmentState.SUBMITTED, AssessmentState.REVIEWED))


class BranchAssessment(models.Model):
    """A branch's standards assessment for a year: its scores, its state in the
    workflow (written only by `services.assessment_transition`), and its result."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments",
                               verbose_name=_("scheme"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                               related_name="assessments", verbose_name=_("branch"),
                               limit_choices_to=BRANCH)
    state = models.CharField(_("state"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT)
    summary = models.TextField(_("self-assessment summary"), blank=True)
    total = _score_field(_("total"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    last_comment = models.TextField(_("last comment"), blank=True)
    history = HistoricalRecords()

    objects = BranchAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-scheme__year", "branch__path"]
        verbose_name = _("branch assessment")
        verbose_name_plural = _("branch assessments")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "branch"], name="one_assessment_per_year",
                                    violation_error_message=_("This branch already has an "
                                                              "assessment for the year.")),
        ]
        indexes = [models.Index(fields=["state", "scheme"], name="assessment_state_idx")]

    def __str__(self) -> str:
        return f"{self.branch} {self.scheme.year}"

    @property
    def is_final(self) -> bool:
        return self.state == AssessmentState.APPROVED

    @property
    def is_editable(self) -> bool:
        """The branch may still change its scores (draft, or returned to it)."""
        return self.state in (AssessmentState.DRAFT, AssessmentState.RETURNED)


def score_attachment_path(instance: Score, filename: str) -> str:
    return f"assessments/{instance.assessment_id}/{filename}"


class Score(models.Model):
    """One criterion's score: what the portal computed (with the evidence as it stood
    then) beside what the branch entered (with its own evidence and a file). The
    entered value wins when present."""

    assessment = models.ForeignKey(BranchAssessment, on_delete=models.CASCADE,
                                   related_name="scores", verbose_name=_("assessment"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("criterion"))
    computed_value = _score_field(_("computed score"), null=True, blank=True)
    computed_reading = models.DecimalField(_("measured value"), max_digits=10,
                                           decimal_places=4, null=True, blank=True)
    computed_evidence = models.TextField(_("computed evidence"), blank=True)
    entered_value = _score_field(_("entered score"), null=True, blank=True)
    entered_evidence = models.TextField(_("evidence"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=score_attachment_path, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__group__order", "criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"],
                                    name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(entered_value__isnull=True)
                                   | Q(entered_value__gte=0),
                                   name="entered_score_not_negative",
                                   violation_error_message=_("A score cannot be negative.")),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

    @property
    def value(self) -> Decimal:
        if self.entered_value is not None:
            return self.entered_value
        return self.computed_value if self.computed_value is not None else Decimal(0)


class AssessmentEvent(models.Model):
    """One step of the workflow: who moved the assessment, from what to what, why."""

    class Action(models.TextChoices):
        COMPUTE = "compute", _("Scores computed")
        SUBMIT = "submit", _("Submitted")
        REVIEW = "review", _("Reviewed")
        RETURN = "return", _("Returned")
        APPROVE = "approve", _("Approved")

    assessment = models.ForeignKey(BranchAssessment, on_delete=models.CASCADE,
                                   related_name="events", verbose_name=_("assessment"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=AssessmentState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=AssessmentState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# --- Democratic appraisal of members -------------------------------------------------


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


# --- One post, two duties -------------------------------------------------------------


class DutyAssessment(models.Model):
    """A part-time secretary's yearly "one post, two duties" (一岗双责) assessment: the
    branch's standards total joined with the business indicators entered for them,
    giving the figure carried into the middle managers' yearly appraisal."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT,
                               related_name="duty_assessments", verbose_name=_("scheme"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="duty_assessments",
                             verbose_name=_("post"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                               related_name="duty_assessments", verbose_name=_("branch"))
    party_score = _score_field(_("party-building score"), null=True, blank=True)
    business_score = _score_field(_("business score"), null=True, blank=True,
                                  validators=PERCENT)
    business_evidence = models.TextField(_("business indicators and evidence"), blank=True)
    total = _score_field(_("appraisal figure"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheme__year", "branch__path"]
        verbose_name = _("one post, two duties assessment")
        verbose_name_plural = _("one post, two duties assessments")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "post"], name="one_duty_assessment_per_post",
                                    violation_error_message=_("This post is already assessed "
                                                              "for the year.")),
            models.CheckConstraint(condition=Q(business_score__isnull=True)
                                   | Q(business_score__gte=0, business_score__lte=100),
                                   name="business_score_in_range",
                                   violation_error_message=_("A business score lies between 0 "
                                                             "and 100.")),
        ]

    def __str__(self) -> str:
        return f"{self.post.person} {self.scheme.year}"


# --- Monthly recognition ---------------------------------------------------------------


class RedFlagWeight(models.Model):
    """The mobile red flag's scoring rule, one row per indicator: each branch scores
    `Σ weight × min(value / target, 1)` over the month; the best branch wins."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=indicator_choices,
                                 unique=True)
    weight = _score_field(_("weight"))
    target = models.DecimalField(_("target for full marks"), max_digits=8, decimal_places=4,
                                 default=Decimal(1))
    is_enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-weight", "indicator"]
        verbose_name = _("red flag rule")
        verbose_name_plural = _("red flag rule")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(target__gt=0),
                                   name="red_flag_weight_positive",
                                   violation_error_message=_("Weight and target are above 0.")),
            models.CheckConstraint(condition=~Q(indicator=MANUAL), name="red_flag_computed_only",
                                   violation_error_message=_("The red flag uses computed "
                                                             "indicators only.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} × {self.weight}"


class RedFlag(models.Model):
    """The month's mobile red flag (流动红旗): one branch per month."""

    month = models.DateField(_("month"), unique=True,
                             error_messages={"unique": _("The red flag of this month is "
                                                         "already awarded.")})
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="red_flags",
                               verbose_name=_("branch"), limit_choices_to=BRANCH)
    score = _score_field(_("score"))
    evidence = models.TextField(_("scores of every branch"), blank=True)
    awarded_at = models.DateTimeField(_("awarded at"))
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("awarded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("mobile red flag")
        verbose_name_plural = _("mobile red flags")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="red_flag_first_of_month",
                                   violation_error_message=_("A month is stored as its first "
                                                             "day.")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.branch}"


class PostStar(models.Model):
    """The month's post star (岗位之星) of a branch."""

    month = models.DateField(_("month"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="post_stars",
                               verbose_name=_("branch"), limit_choices_to=BRANCH)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="post_stars",
                               verbose_name=_("member"))
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "branch__path"]
        verbose_name = _("post star")
        verbose_name_plural = _("post stars")
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="one_post_star_per_month",
                                    violation_error_message=_("This branch already has a post "
                                                              "star for the month.")),
            models.CheckConstraint(condition=Q(month__day=1), name="post_star_first_of_month",
                                   violation_error_message=_("A month is stored as its first "
                                                             "day.")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.person}"
