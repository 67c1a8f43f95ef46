"""One post, two duties: a secretary's party and business scores in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin, dry_run
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin
from supplychain_party.concurrency import VersionedAdminMixin

from .. import services
from ..models import DutyAssessment


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
class DutyAssessmentAdmin(VersionedAdminMixin, ServiceRefusalMixin, ScopedAdminMixin,
                          GuardedHistoryMixin, SimpleHistoryAdmin):
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
