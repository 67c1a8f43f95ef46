"""The committee's admin for member development: the rules are edited here; the
records are read-only (steps go through the portal's services, which check them);
mentor pairs are created in the portal and their goals and outcome edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import ScopedAdminMixin

from .models import (
    Assessment,
    Candidacy,
    CultivatingContact,
    DevelopmentRule,
    Event,
    Introducer,
    MentorPair,
)


@admin.register(DevelopmentRule)
class DevelopmentRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "value", "unit", "source"]
    list_editable = ["value"]
    readonly_fields = ["code", "unit"]
    search_fields = ["code", "source", "note"]

    def has_add_permission(self, request) -> bool:
        return False  # every rule is seeded by a migration; the services read them by code

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = Event
    fields = ["on", "kind", "detail", "recorded_by", "recorded_at"]
    readonly_fields = fields


class ContactInline(_ReadOnlyInline):
    model = CultivatingContact
    fields = ["person", "named_on"]
    readonly_fields = fields


class IntroducerInline(_ReadOnlyInline):
    model = Introducer
    fields = ["person", "named_on"]
    readonly_fields = fields


class AssessmentInline(_ReadOnlyInline):
    model = Assessment
    fields = ["assessed_on", "conclusion"]
    readonly_fields = fields


@admin.register(Candidacy)
class CandidacyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    list_display = [
        "person",
        "branch",
        "stage",
        "applied_on",
        "activist_on",
        "candidate_on",
        "admitted_on",
        "probation_ends_on",
    ]
    list_filter = ["stage", "branch"]
    list_select_related = ["person", "branch"]
    search_fields = ["person__name", "person__employee_no"]
    date_hierarchy = "applied_on"
    inlines = [EventInline, ContactInline, AssessmentInline, IntroducerInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Candidacy._meta.fields if f.name != "note"]

    def has_add_permission(self, request) -> bool:
        return False  # records are opened and advanced in the portal, rule-checked

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MentorPair)
class MentorPairAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("branch__path",)
    list_display = ["mentor", "mentee", "kind", "branch", "started_on", "ended_on"]
    list_filter = ["kind", "branch"]
    list_select_related = ["mentor", "mentee", "branch"]
    search_fields = ["mentor__name", "mentee__name", "goals"]
    readonly_fields = ["branch", "kind", "mentor", "mentee", "started_on", "ended_on"]

    def has_add_permission(self, request) -> bool:
        return False  # created in the portal through `mentor_pair_create`
