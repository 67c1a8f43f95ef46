"""The committee's admin for the service team and the supply status board: teams with
their roster inline, the log, key projects (reference data, not scoped) and the weekly
statuses with their history. Rows are scoped by the team's owning organisation."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin

from .models import ImportBatch, KeyProject, ServiceRecord, ServiceTeam, TeamMember, WeeklyStatus


class TeamMemberInline(ScopedInlineMixin, admin.TabularInline):
    model = TeamMember
    scope_path_fields = ("team__organisation__path",)
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "joined_on", "left_on"]


@admin.register(ServiceTeam)
class ServiceTeamAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["name", "organisation", "leader", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["organisation", "leader"]
    search_fields = ["name", "organisation__name", "leader__name"]
    autocomplete_fields = ["organisation", "leader"]
    inlines = [TeamMemberInline]


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("team__organisation__path",)
    list_display = ["person", "team", "role", "joined_on", "left_on"]
    list_filter = ["role", "team"]
    list_select_related = ["person", "team"]
    search_fields = ["person__name", "team__name"]
    autocomplete_fields = ["person", "team"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("team__organisation__path",)
    list_display = ["served_on", "team", "kind", "unit_kind", "unit_name", "recorded_by"]
    list_filter = ["kind", "unit_kind", "team"]
    list_select_related = ["team", "recorded_by"]
    search_fields = ["unit_name", "work_done", "outcome", "members__name"]
    autocomplete_fields = ["team", "members", "recorded_by"]
    date_hierarchy = "served_on"


@admin.register(KeyProject)
class KeyProjectAdmin(GuardedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "project_unit", "voltage_level", "category", "is_active"]
    list_filter = ["is_active", "voltage_level"]
    search_fields = ["code", "name", "project_unit"]
    show_full_result_count = False


@admin.register(WeeklyStatus)
class WeeklyStatusAdmin(GuardedHistoryMixin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "week",
        "plan_allocation",
        "tendering",
        "contract",
        "arrival",
        "is_delayed",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["week", "tendering", "contract", "is_delayed"]
    list_select_related = ["project", "entered_by"]
    search_fields = ["project__code", "project__name", "remarks"]
    autocomplete_fields = ["project"]
    readonly_fields = ["entered_by", "entered_at"]
    date_hierarchy = "week"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.entered_by = request.user
        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "week",
        "status",
        "uploaded_by",
        "uploaded_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["filename"]
    exclude = ["content"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
