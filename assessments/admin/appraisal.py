"""Democratic appraisal in the admin: the branch's appraisal and its members' entries."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin
from supplychain_party.concurrency import VersionedInlineMixin

from .. import services
from ..models import Appraisal, AppraisalEntry


class AppraisalEntryForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.errors:
            try:
                services.appraisal_entry_validate(entry=self.instance)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AppraisalEntryInline(VersionedInlineMixin, ScopedInlineMixin, admin.TabularInline):
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
        from ..selectors import appraisal_tallies

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
