"""The committee's admin for pledges and designations, scoped like the rest of the
admin (`members.admin_scope`). Pledges are written by members in the portal; here
they are reviewed (approve / return through the services). Designations are saved
through the same services as the portal, so their checks hold here too."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin

from . import services
from .models import Designation, Pledge


@admin.register(Pledge)
class PledgeAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    list_display = ["person", "year", "branch", "status", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "year"]
    list_select_related = ["person", "branch", "reviewed_by"]
    search_fields = ["person__name", "text"]
    autocomplete_fields = ["person", "branch", "reviewed_by"]
    readonly_fields = [
        "person",
        "branch",
        "year",
        "text",
        "status",
        "return_reason",
        "reviewed_by",
        "reviewed_at",
        "updated_at",
    ]
    actions = ["approve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members write their own pledge in the portal

    @admin.action(description=_("Approve the selected pledges"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> None:
        approved = 0
        for pledge in queryset.pending().select_related("branch", "person"):
            try:
                services.pledge_approve(pledge=pledge, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{pledge}: {message}", messages.ERROR)
                continue
            approved += 1
        self.message_user(
            request,
            ngettext("%(n)d pledge approved.", "%(n)d pledges approved.", approved)
            % {"n": approved},
        )


@admin.register(Designation)
class DesignationAdmin(
    ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin
):
    scope_path_fields = ("organisation__path",)
    list_display = ["name", "kind", "organisation", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["organisation"]
    search_fields = ["name", "location", "organisation__name"]
    autocomplete_fields = ["organisation", "responsible"]
    fields = [
        "kind",
        "name",
        "organisation",
        "responsible",
        "node",
        "location",
        "starts_on",
        "ends_on",
        "criteria",
        "status",
        "revoked_reason",
    ]
    readonly_fields = ["status", "revoked_reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Designation | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("organisation")  # a designation does not move between branches
        return readonly

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        from members.access import scope_for
        from members.admin_scope import scoped_people

        scope = scope_for(request.user)
        if db_field.name == "responsible" and not scope.sees_all:
            kwargs["queryset"] = scoped_people(scope)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Designation, form, change: bool) -> None:
        pass  # saved with its responsible members in save_related, through the services

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        cleaned = form.cleaned_data
        data = services.DesignationData(
            kind=cleaned["kind"],
            name=cleaned["name"],
            starts_on=cleaned["starts_on"],
            ends_on=cleaned.get("ends_on"),
            node=cleaned.get("node"),
            location=cleaned.get("location", ""),
            criteria=cleaned.get("criteria", ""),
        )
        responsible = list(cleaned.get("responsible") or [])
        if change:
            services.designation_update(
                designation=form.instance, data=data, responsible=responsible, by=request.user
            )
        else:
            designation = services.designation_create(
                organisation=cleaned["organisation"],
                data=data,
                responsible=responsible,
                by=request.user,
            )
            form.instance.pk = designation.pk  # the admin's messages and redirect follow it
