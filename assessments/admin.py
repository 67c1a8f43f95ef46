"""The committee's review desk for assessments.

Schemes (groups, criteria, grade thresholds) are edited here; an active scheme is
checked again on every save, so its weights always add up to 100. Branch
assessments are reviewed here: the queue shows what waits for the user (the general
branch reviews submitted ones, the committee decides), the change page shows the
computed and entered scores side by side with their evidence, and the decision is
made through `services.assessment_transition` (checked first in a rolled-back
savepoint, see `members.admin.dry_run`). An approved assessment is read-only. Rows
are scoped like the rest of the admin (`members.admin_scope`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from branches.models import Organisation
from members.access import scope_for
from members.admin import ServiceRefusalMixin, dry_run
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin

from . import services
from .exports import results_workbook
from .models import (
    Appraisal,
    AppraisalEntry,
    AssessmentEvent,
    AssessmentState,
    BranchAssessment,
    Criterion,
    CriterionGroup,
    DutyAssessment,
    GradeThreshold,
    PostStar,
    RedFlag,
    RedFlagWeight,
    Scheme,
    Score,
)

State = AssessmentState
Action = AssessmentEvent.Action


class _ShownInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- Schemes ----------------------------------------------------------------------------


class GradeThresholdInline(admin.TabularInline):
    model = GradeThreshold
    extra = 0


class CriterionGroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0
    show_change_link = True
    fields = ["name", "weight", "order"]


@admin.register(Scheme)
class SchemeAdmin(ServiceRefusalMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["year", "title", "state", "activated_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    readonly_fields = ["state", "activated_at", "problems"]
    inlines = [GradeThresholdInline, CriterionGroupInline]
    actions = ["activate"]

    @admin.display(description=_("checks"))
    def problems(self, scheme: Scheme) -> str:
        if scheme.pk is None:
            return "—"
        problems = services.scheme_problems(scheme=scheme)
        if not problems:
            return _("Ready: the weights add up to 100 and every grade has its threshold.")
        return format_html_join("", "<div>⚠ {}</div>", ((p,) for p in problems))

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        scheme = form.instance
        if scheme.state == Scheme.State.ACTIVE:
            # An active scheme stays valid: a save that breaks it is rolled back.
            problems = services.scheme_problems(scheme=scheme)
            if problems:
                raise ValidationError(problems)

    @admin.action(description=_("Check and activate the selected schemes"),
                  permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Scheme]) -> None:
        for scheme in queryset:
            try:
                services.scheme_activate(scheme=scheme, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{scheme}: {message}", messages.ERROR)
                continue
            self.message_user(request, _("%(scheme)s is active.") % {"scheme": scheme})


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = [("name", "order"), ("max_score", "source", "target"), "evidence_guide"]


@admin.register(CriterionGroup)
class CriterionGroupAdmin(ServiceRefusalMixin, SimpleHistoryAdmin):
    list_display = ["name", "scheme", "weight", "order"]
    list_filter = ["scheme"]
    list_select_related = ["scheme"]
    search_fields = ["name"]
    inlines = [CriterionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        scheme = form.instance.scheme
        if scheme.state == Scheme.State.ACTIVE:
            problems = services.scheme_problems(scheme=scheme)
            if problems:
                raise ValidationError(problems)


# --- Branch assessments: the review desk -------------------------------------------------


def is_committee_user(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.sees_all or any(org.kind == Organisation.Kind.COMMITTEE for org in scope.led)


class QueueFilter(admin.SimpleListFilter):
    """The review queues; "waiting for me" unless asked otherwise: the committee's
    submitted and reviewed assessments, a general branch's submitted ones, a
    secretary's drafts and returned ones."""

    title = _("queue")
    parameter_name = "queue"
    default = "mine"

    def lookups(self, request, model_admin):
        return (("mine", _("Waiting for me")), ("submitted", _("Submitted")),
                ("reviewed", _("Reviewed")), ("returned", _("Returned")),
                ("approved", _("Approved")), ("draft", _("Draft")), ("all", _("All")))

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                   "display": title}

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            if is_committee_user(request):
                return queryset.filter(state__in=(State.SUBMITTED, State.REVIEWED))
            scope = scope_for(request.user)
            if any(org.kind == Organisation.Kind.GENERAL_BRANCH for org in scope.led):
                return queryset.filter(state=State.SUBMITTED)
            return queryset.filter(state__in=(State.DRAFT, State.RETURNED))
        if value in State.values:
            return queryset.filter(state=value)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(y), str(y)) for y in Scheme.objects.values_list("year", flat=True)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(scheme__year=int(self.value()))
        return queryset


class GeneralBranchFilter(admin.SimpleListFilter):
    title = _("general branch")
    parameter_name = "general"

    def lookups(self, request, model_admin):
        generals = scope_for(request.user).organisations().filter(
            kind=Organisation.Kind.GENERAL_BRANCH)
        return [(str(org.pk), org.name) for org in generals]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            general = Organisation.objects.filter(pk=int(self.value())).first()
            if general is not None:
                return queryset.filter(branch__path__startswith=general.path)
        return queryset


class ScoreInline(ScopedInlineMixin, _ShownInline):
    """Computed and entered scores side by side, each with its evidence."""

    model = Score
    scope_path_fields = ("assessment__branch__path",)
    fields = ["group", "criterion", "max_score", "computed_value", "computed_evidence",
              "entered_value", "entered_evidence", "file", "counted"]
    readonly_fields = fields
    verbose_name_plural = _("scores: computed and entered")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion__group")

    @admin.display(description=_("group"))
    def group(self, score: Score) -> str:
        return score.criterion.group.name

    @admin.display(description=_("maximum score"))
    def max_score(self, score: Score):
        return score.criterion.max_score

    @admin.display(description=_("attachment"))
    def file(self, score: Score) -> str:
        if not score.attachment:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("assessments:score_attachment", args=[score.pk]),
            score.attachment.name.rsplit("/", 1)[-1],
        )

    @admin.display(description=_("counted"))
    def counted(self, score: Score):
        return score.value


class EventInline(ScopedInlineMixin, _ShownInline):
    model = AssessmentEvent
    scope_path_fields = ("assessment__branch__path",)
    fields = ["at", "action", "from_state", "to_state", "by", "comment"]
    readonly_fields = fields
    verbose_name_plural = _("steps")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class AssessmentDecisionForm(forms.ModelForm):
    """The reviewer's decision, checked by `assessment_transition` itself."""

    decision = forms.ChoiceField(label=_("decision"), required=False,
                                 choices=[("", "—"), (Action.REVIEW, _("Reviewed: pass it on")),
                                          (Action.APPROVE, _("Approve")),
                                          (Action.RETURN, _("Return with a comment"))])
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    user = None  # set by the admin's get_form

    class Meta:
        model = BranchAssessment
        fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision and self.instance.pk is not None:
            try:
                dry_run(services.assessment_transition,
                        assessment=BranchAssessment.objects.select_related("branch", "scheme")
                        .get(pk=self.instance.pk),
                        action=decision, by=self.user, comment=cleaned.get("comment", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AssessmentAddForm(forms.ModelForm):
    class Meta:
        model = BranchAssessment
        fields = ["scheme", "branch"]

    def clean(self):
        cleaned = super().clean()
        scheme, branch = cleaned.get("scheme"), cleaned.get("branch")
        if scheme and branch:
            try:
                dry_run(services.assessment_open, scheme=scheme, branch=branch)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


def _parent_name():
    """The name of the branch's parent, by the path one step shorter: a subquery, so
    the changelist does not ask for each row's parent."""
    return Subquery(Organisation.objects.filter(
        path=Substr(OuterRef("branch__path"), 1,
                    Length(OuterRef("branch__path")) - Organisation.steplen)
    ).values("name")[:1])


@admin.register(BranchAssessment)
class BranchAssessmentAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin,
                            SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    list_display = ["branch", "parent", "year", "state", "total", "grade", "submitted_at",
                    "decided_at"]
    list_filter = [QueueFilter, YearFilter, GeneralBranchFilter, "grade"]
    list_select_related = ["scheme", "branch"]
    search_fields = ["branch__name"]
    autocomplete_fields = ["branch"]
    inlines = [ScoreInline, EventInline]
    actions = ["approve_selected", "export_results"]
    readonly_fields = ["scheme", "branch", "state", "summary", "total", "grade", "computed_at",
                       "submitted_at", "decided_at", "last_comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(parent_name=_parent_name())

    @admin.display(description=_("year"), ordering="scheme__year")
    def year(self, assessment: BranchAssessment) -> int:
        return assessment.scheme.year

    @admin.display(description=_("above"))
    def parent(self, assessment: BranchAssessment) -> str:
        return getattr(assessment, "parent_name", None) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AssessmentAddForm
        else:
            kwargs["form"] = AssessmentDecisionForm
            kwargs["fields"] = ["decision", "comment"]
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["scheme", "branch"]
        fields = list(self.readonly_fields)
        if self.has_change_permission(request, obj):
            fields += ["decision", "comment"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_final:
            return False  # final: shown, never edited
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            opened = services.assessment_open(scheme=form.cleaned_data["scheme"],
                                              branch=form.cleaned_data["branch"])
            obj.pk = opened.pk
            return
        decision = form.cleaned_data.get("decision")
        if decision:
            services.assessment_transition(assessment=obj, action=decision, by=request.user,
                                           comment=form.cleaned_data.get("comment", ""))

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:  # the inlines are shown, not edited
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("Approve the selected assessments"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        approved = 0
        for assessment in queryset.select_related("branch", "scheme"):
            try:
                services.assessment_transition(assessment=assessment, action=Action.APPROVE,
                                               by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{assessment}: {message}", messages.ERROR)
                continue
            approved += 1
        self.message_user(request, ngettext("%(n)d assessment approved.",
                                            "%(n)d assessments approved.", approved)
                          % {"n": approved})

    @admin.action(description=_("Export the selected results to Excel"), permissions=["view"])
    def export_results(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        rows = queryset.select_related("scheme", "branch").order_by(
            "-scheme__year", "branch__path")
        response = HttpResponse(
            results_workbook(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="assessments-{stamp}.xlsx"'
        return response


# --- Democratic appraisal ------------------------------------------------------------------


class AppraisalEntryForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.errors:
            try:
                services.appraisal_entry_validate(entry=self.instance)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AppraisalEntryInline(ScopedInlineMixin, admin.TabularInline):
    model = AppraisalEntry
    form = AppraisalEntryForm
    scope_path_fields = ("appraisal__branch__path",)
    fields = ["person", "self_assessment", "votes_excellent", "votes_qualified", "votes_basic",
              "votes_unqualified", "proposed_grade", "decided_grade", "follow_up",
              "follow_up_done_on"]
    readonly_fields = ["person"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # entries come from the branch's members (`appraisal_open`)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.state == Appraisal.State.DECIDED:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Appraisal)
class AppraisalAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin,
                     SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    list_display = ["branch", "year", "state", "member_count", "n_excellent", "n_qualified",
                    "n_basic", "n_unqualified", "decided_on"]
    list_filter = ["state", "scheme__year"]
    search_fields = ["branch__name"]
    autocomplete_fields = ["branch"]
    inlines = [AppraisalEntryInline]
    readonly_fields = ["state", "decided_on", "warnings"]
    actions = ["decide_today"]

    def get_queryset(self, request):
        from .selectors import appraisal_tallies

        return appraisal_tallies(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["scheme", "branch", *self.readonly_fields]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["scheme", "branch"]
        return ["scheme", "branch", *self.readonly_fields]

    @admin.display(description=_("year"), ordering="scheme__year")
    def year(self, appraisal):
        return appraisal.scheme.year

    @admin.display(description=_("members"))
    def member_count(self, appraisal):
        return appraisal.member_count

    @admin.display(description=_("excellent"))
    def n_excellent(self, appraisal):
        return appraisal.n_excellent

    @admin.display(description=_("qualified"))
    def n_qualified(self, appraisal):
        return appraisal.n_qualified

    @admin.display(description=_("basically qualified"))
    def n_basic(self, appraisal):
        return appraisal.n_basic

    @admin.display(description=_("unqualified"))
    def n_unqualified(self, appraisal):
        return appraisal.n_unqualified

    @admin.display(description=_("warnings"))
    def warnings(self, appraisal):
        if appraisal.pk is None:
            return "—"
        found = services.appraisal_warnings(appraisal=appraisal)
        return format_html_join("", "<div>⚠ {}</div>", ((w,) for w in found)) if found else "—"

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            opened = services.appraisal_open(scheme=obj.scheme, branch=obj.branch)
            obj.pk = opened.pk
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        for entry in formset.save(commit=False):
            services.appraisal_entry_save(entry=entry)

    def response_change(self, request, obj):
        for warning in services.appraisal_warnings(appraisal=obj):
            self.message_user(request, warning, messages.WARNING)
        return super().response_change(request, obj)

    @admin.action(description=_("Record the branch meeting's decision (today)"),
                  permissions=["change"])
    def decide_today(self, request, queryset) -> None:
        for appraisal in queryset.select_related("scheme", "branch"):
            try:
                warnings = services.appraisal_decide(appraisal=appraisal,
                                                     decided_on=timezone.localdate())
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{appraisal}: {message}", messages.ERROR)
                continue
            for warning in warnings:
                self.message_user(request, f"{appraisal}: {warning}", messages.WARNING)
            self.message_user(request, _("%(appraisal)s decided.") % {"appraisal": appraisal})


# --- One post, two duties ---------------------------------------------------------------


class DutyAssessmentForm(forms.ModelForm):
    class Meta:
        model = DutyAssessment
        fields = ["scheme", "post", "business_score", "business_evidence"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scheme") and cleaned.get("post") and not self.errors:
            try:
                dry_run(services.duty_assessment_save, scheme=cleaned["scheme"],
                        post=cleaned["post"], business_score=cleaned.get("business_score"),
                        business_evidence=cleaned.get("business_evidence", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(DutyAssessment)
class DutyAssessmentAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin,
                          SimpleHistoryAdmin):
    form = DutyAssessmentForm
    scope_path_fields = ("branch__path",)
    list_display = ["person", "branch", "business_post", "year", "party_score",
                    "business_score", "total"]
    list_filter = ["scheme__year"]
    list_select_related = ["scheme", "branch", "post__person"]
    search_fields = ["post__person__name", "branch__name"]
    autocomplete_fields = ["post"]
    readonly_fields = ["party_score", "total"]

    @admin.display(description=_("secretary"), ordering="post__person__name")
    def person(self, duty):
        return duty.post.person.name

    @admin.display(description=_("business post"))
    def business_post(self, duty):
        return duty.post.business_post

    @admin.display(description=_("year"), ordering="scheme__year")
    def year(self, duty):
        return duty.scheme.year

    def save_model(self, request, obj, form, change) -> None:
        saved = services.duty_assessment_save(
            scheme=form.cleaned_data["scheme"], post=form.cleaned_data["post"],
            business_score=form.cleaned_data.get("business_score"),
            business_evidence=form.cleaned_data.get("business_evidence", ""))
        obj.pk = saved.pk


# --- Monthly recognition ------------------------------------------------------------------


@admin.register(RedFlagWeight)
class RedFlagWeightAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "weight", "target", "is_enabled"]
    list_editable = ["weight", "target", "is_enabled"]
    list_filter = ["is_enabled"]


class RedFlagForm(forms.ModelForm):
    class Meta:
        model = RedFlag
        fields = ["month"]
        help_texts = {"month": _("Any day of the month: the flag goes to the best branch by "
                                 "the red flag rule.")}

    def clean_month(self):
        month = self.cleaned_data["month"]
        try:
            dry_run(services.red_flag_award, month=month)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return services.first_of_month(month)


@admin.register(RedFlag)
class RedFlagAdmin(ServiceRefusalMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    form = RedFlagForm
    list_display = ["month", "branch", "score", "awarded_at", "awarded_by"]
    list_select_related = ["branch", "awarded_by"]
    date_hierarchy = "month"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["month", "branch", "score", "evidence", "awarded_at", "awarded_by"]

    def get_fields(self, request, obj=None):
        return ["month"] if obj is None else self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        flag = services.red_flag_award(month=form.cleaned_data["month"], by=request.user)
        obj.pk = flag.pk


class PostStarForm(forms.ModelForm):
    class Meta:
        model = PostStar
        fields = ["month", "branch", "person", "reason"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                dry_run(services.post_star_award, branch=cleaned["branch"],
                        person=cleaned["person"], month=cleaned["month"],
                        reason=cleaned.get("reason", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(PostStar)
class PostStarAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin,
                    SimpleHistoryAdmin):
    form = PostStarForm
    scope_path_fields = ("branch__path",)
    list_display = ["month", "branch", "person", "reason"]
    list_select_related = ["branch", "person"]
    list_filter = ["month"]
    search_fields = ["person__name", "branch__name"]
    autocomplete_fields = ["branch", "person"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["month", "branch", "person"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        star = services.post_star_award(branch=obj.branch, person=obj.person, month=obj.month,
                                        reason=obj.reason)
        obj.pk = star.pk

