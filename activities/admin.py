"""The committee's admin for activities, joint projects and documents, scoped like the
rest of the admin (`members.admin_scope`). Speakers and attendees are edited inline;
progress entries and document versions are append-only records shown here, added in
the portal (where their checks live)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin

from . import services
from .models import (
    Activity,
    ActivityAttendance,
    ActivitySpeaker,
    Document,
    DocumentVersion,
    JointProject,
    ProjectProgress,
)


class SpeakerInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivitySpeaker
    scope_path_fields = ("activity__organisation__path",)
    autocomplete_fields = ["person"]
    extra = 0


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityAttendance
    scope_path_fields = ("activity__organisation__path",)
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person")


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "kind", "organisation", "held_on", "place"]
    list_filter = ["kind"]
    list_select_related = ["organisation"]
    search_fields = ["title", "place", "organisation__name"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["organisation"]
    fields = ["kind", "title", "organisation", "held_on", "place", "summary"]
    inlines = [SpeakerInline, AttendanceInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ProgressInline(ScopedInlineMixin, admin.TabularInline):
    model = ProjectProgress
    scope_path_fields = ("project__partnership__organisation__path",)
    fields = ["on", "percent", "text", "by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # appended in the portal, never edited


@admin.register(JointProject)
class JointProjectAdmin(
    ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin
):
    scope_path_fields = ("partnership__organisation__path",)
    list_display = ["topic", "partnership", "lead", "due_on", "status", "percent"]
    list_filter = ["status"]
    list_select_related = ["partnership__organisation", "partnership__partner", "lead"]
    search_fields = ["topic", "lead__name"]
    autocomplete_fields = ["lead", "members"]
    readonly_fields = ["percent"]
    inlines = [ProgressInline]

    def get_readonly_fields(self, request: HttpRequest, obj: JointProject | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            readonly.append("status")  # a new project starts in progress
        return readonly

    def save_model(self, request: HttpRequest, obj: JointProject, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)
            return
        # A new project goes through the service: its lead and members must belong to
        # the paired organisation.
        cleaned = form.cleaned_data
        project = services.project_create(
            partnership=cleaned["partnership"],
            topic=cleaned["topic"],
            lead=cleaned["lead"],
            members=list(cleaned.get("members") or []),
            started_on=cleaned["started_on"],
            due_on=cleaned["due_on"],
            by=request.user,
        )
        form.instance.pk = project.pk  # the admin's messages and redirect follow it
        super().save_related(request, form, formsets, change)  # the (empty) inlines

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "partnership":
            from branches.models import Partnership
            from members.access import scope_for

            kwargs["queryset"] = scope_for(request.user).within(
                Partnership.objects.select_related("organisation", "partner"), "organisation__path"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionInline(ScopedInlineMixin, admin.TabularInline):
    model = DocumentVersion
    scope_path_fields = ("document__organisation__path",)
    fields = ["number", "download", "changes", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # uploaded in the portal, where the file is checked

    @admin.display(description=_("file"))
    def download(self, version: DocumentVersion) -> str:
        url = reverse("activities:version_download", args=[version.document_id, version.number])
        return format_html('<a href="{}">{}</a>', url, version.original_name)


@admin.register(Document)
class DocumentAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "category", "organisation", "visibility", "current_number"]
    list_filter = ["category", "visibility"]
    list_select_related = ["organisation"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["current_number"]
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # published in the portal with its first, checked file
