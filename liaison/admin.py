"""The committee's admin for mass liaison: categories are edited here; the ledger is
shown with its steps inline and read-only (moves go through the portal's services)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import ScopedAdminMixin
from supplychain_party.concurrency import VersionedAdminMixin

from . import services
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


class ThroughServiceAddMixin:
    """An add form whose `clean()` calls the app's service (which validates and
    writes in one transaction), so the admin adds rows by the same one write path as
    the portal and shows the service's refusal as a form error. Existing rows are
    read-only."""

    add_fields: list[str] = []

    def create(self, request, data: dict):  # pragma: no cover - overridden
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["fields"] = self.add_fields
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class AddThroughService(form_class):
            def clean(self):
                data = super().clean()
                if not self.errors:
                    try:
                        self.created = admin_self.create(request, data)
                    except ValidationError as error:
                        raise forms.ValidationError(error.messages) from None
                return data

        return AddThroughService

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else super().get_fields(request, obj)

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.pk = form.created.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Pairing)
class PairingAdmin(ThroughServiceAddMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """New pairings go through `pairing_create`, which keeps the limit of two."""

    scope_path_fields = ("member__branch__path",)
    list_display = ["member", "partner", "started_on", "ended_on"]
    list_select_related = ["member", "partner"]
    search_fields = ["member__name", "partner__name"]
    autocomplete_fields = ["member", "partner"]  # a drop-down of every person does not scale
    add_fields = ["member", "partner", "started_on", "note"]

    def create(self, request, data):
        return services.pairing_create(member=data["member"], partner=data["partner"],
                                       started_on=data["started_on"], note=data["note"])


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "organisation", "starts_on", "ends_on"]
    list_select_related = ["organisation"]
    search_fields = ["title"]
    autocomplete_fields = ["organisation"]


class OpinionInline(admin.TabularInline):
    model = Opinion
    extra = 0
    fields = ["text", "raised_by", "raised_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Visit)
class VisitAdmin(VersionedAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
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
class ProblemAdmin(ThroughServiceAddMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """The ledger: registered through `problem_register`, then read-only here; every
    move goes through `problem_transition` (the portal's problem page), which keeps
    the legal order and writes the steps shown inline."""

    add_fields = ["title", "description", "category", "organisation", "owner", "raised_by",
                  "deadline"]

    def create(self, request, data):
        return services.problem_register(
            title=data["title"], description=data["description"], category=data["category"],
            organisation=data["organisation"], owner=data["owner"],
            raised_by=data["raised_by"], deadline=data["deadline"], by=request.user)

    scope_path_fields = ("organisation__path",)
    list_display = ["title", "category", "organisation", "owner", "deadline", "state",
                    "escalation_level"]
    list_filter = ["state", "category", "escalation_level"]
    list_select_related = ["category", "organisation", "owner"]
    search_fields = ["title", "owner__name", "raised_by__name"]
    autocomplete_fields = ["organisation", "owner", "raised_by"]
    date_hierarchy = "registered_at"
    inlines = [ProblemEventInline, EscalationInline]
