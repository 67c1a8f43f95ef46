"""Schemes in the admin: groups, criteria and grade thresholds, checked on every save."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin
from members.admin_scope import GuardedHistoryMixin

from .. import services
from ..models import Criterion, CriterionGroup, GradeThreshold, Scheme


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
