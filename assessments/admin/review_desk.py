"""The review desk for branch assessments: queues, scores with evidence, decisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from branches.models import Organisation
from members.access import scope_for
from members.admin import ServiceRefusalMixin, dry_run
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin
from supplychain_party.concurrency import VersionedAdminMixin

from .. import services
from ..exports import results_workbook
from ..models import AssessmentEvent, AssessmentState, BranchAssessment, Scheme, Score

State = AssessmentState
Action = AssessmentEvent.Action


class _ShownInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
class BranchAssessmentAdmin(VersionedAdminMixin, ServiceRefusalMixin, ScopedAdminMixin,
                            GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    # The decision form edits no field itself: a decision is stale when the branch
    # resubmitted (or someone else decided) since the reviewer opened the page.
    version_fields = ("state", "submitted_at", "decided_at", "total", "last_comment")
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

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_final:
            return False  # a decided assessment stays on record
        return super().has_delete_permission(request, obj)

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
