"""The committee's admin for mass liaison: categories are edited here; the ledger is
shown with its steps inline and read-only (moves go through the portal's services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import ScopedAdminMixin

from .models import (
    Campaign,
    ContactPoint,
    Escalation,
    Opinion,
    Pairing,
    Problem,
    ProblemCategory,
    ProblemEvent,
    Visit,
)


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "is_active", "remind_days_before", "escalate_every_days"]
    list_editable = ["order", "is_active", "remind_days_before", "escalate_every_days"]


@admin.register(ContactPoint)
class ContactPointAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("cadre__branch__path",)
    list_display = ["cadre", "kind", "name", "paired_team", "started_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["cadre"]
    search_fields = ["name", "cadre__name", "paired_team"]
    autocomplete_fields = ["cadre"]


@admin.register(Pairing)
class PairingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: new pairings go through `pairing_create`, which keeps the limit of two."""

    scope_path_fields = ("member__branch__path",)
    list_display = ["member", "partner", "started_on", "ended_on"]
    list_select_related = ["member", "partner"]
    search_fields = ["member__name", "partner__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "organisation", "starts_on", "ends_on"]
    list_select_related = ["organisation"]
    search_fields = ["title"]


class OpinionInline(admin.TabularInline):
    model = Opinion
    extra = 0
    fields = ["text", "raised_by", "raised_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["visited_on", "visitor", "visited", "method", "organisation", "reviewed_at"]
    list_filter = ["method", ("reviewed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["visitor", "visited", "organisation"]
    search_fields = ["visitor__name", "visited__name", "discussion"]
    readonly_fields = ["reviewed_by", "reviewed_at", "created_at"]
    raw_id_fields = ["visitor", "visited", "organisation", "campaign"]
    inlines = [OpinionInline]


@admin.register(Opinion)
class OpinionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["text", "source", "raised_by", "organisation", "raised_on"]
    list_filter = ["source"]
    list_select_related = ["raised_by", "organisation"]
    search_fields = ["text", "raised_by__name"]
    raw_id_fields = ["visit", "campaign", "meeting", "raised_by", "recorded_by", "organisation"]


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    fields = ["at", "action", "from_state", "to_state", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EscalationInline(admin.TabularInline):
    model = Escalation
    extra = 0
    fields = ["level", "organisation", "escalated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The ledger, read-only: every move goes through `problem_transition`, which keeps
    the legal order and writes the steps shown inline."""

    scope_path_fields = ("organisation__path",)
    list_display = ["title", "category", "organisation", "owner", "deadline", "state",
                    "escalation_level"]
    list_filter = ["state", "category", "escalation_level"]
    list_select_related = ["category", "organisation", "owner"]
    search_fields = ["title", "owner__name", "raised_by__name"]
    date_hierarchy = "registered_at"
    inlines = [ProblemEventInline, EscalationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path_fields = ("organisation__path", "problem__organisation__path")
    list_display = ["problem", "level", "organisation", "escalated_at"]
    list_select_related = ["problem", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
