"""The committee's admin for terms and elections: the term rules are edited here (the
regulations' values are seeded); terms and elections are scoped to the user's subtree.
An election whose result is effective is read-only: its posts and term exist already."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin

from .models import Candidate, Election, Term, TermRule


@admin.register(TermRule)
class TermRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation_kind",
        "years",
        "first_reminder_months",
        "second_reminder_months",
        "source",
    ]
    list_editable = ["years", "first_reminder_months", "second_reminder_months"]
    search_fields = ["source"]


@admin.register(Term)
class TermAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["organisation", "started_on", "ends_on", "closed_on"]
    list_filter = [("closed_on", admin.EmptyFieldListFilter), "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "note"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "ends_on"


class CandidateInline(ScopedInlineMixin, admin.TabularInline):
    model = Candidate
    scope_path_fields = ("election__organisation__path",)
    extra = 0
    fields = ["person", "votes", "is_elected", "role"]
    autocomplete_fields = ["person"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_final)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_final)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_final)


@admin.register(Election)
class ElectionAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = [
        "organisation",
        "kind",
        "planned_on",
        "seats",
        "status",
        "held_on",
        "effective_on",
    ]
    list_filter = ["status", "kind", "is_contested"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "approval_document"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["term", "new_term"]
    readonly_fields = ["status", "new_term", "approved_by", "created_by", "confirmed_by"]
    inlines = [CandidateInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_final)
