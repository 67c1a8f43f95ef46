"""The committee's admin for dues: the rules (schedules with their brackets inline,
fixed amounts) and the declarations are edited here, with their history; payment
entries are shown read-only, since the ledger is append-only (corrections are new
entries, recorded in the portal)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin
from supplychain_party.concurrency import VersionedAdminMixin

from .models import Bracket, BracketSchedule, Declaration, FixedRate, Payment


class BracketFormSet(forms.BaseInlineFormSet):
    """A schedule's brackets: increasing upper bounds and exactly one top bracket."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        bounds = [row["upper_bound"] for row in rows]
        if not rows:
            raise forms.ValidationError(_("A schedule needs at least one bracket."))
        if bounds.count(None) != 1:
            raise forms.ValidationError(_("Exactly one bracket has no upper bound: the top one."))
        finite = sorted(b for b in bounds if b is not None)
        if len(set(finite)) != len(finite):
            raise forms.ValidationError(_("Two brackets have the same upper bound."))


class BracketInline(admin.TabularInline):
    model = Bracket
    formset = BracketFormSet
    extra = 0
    min_num = 1
    fields = ["upper_bound", "rate"]


@admin.register(BracketSchedule)
class BracketScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "effective_from", "source"]
    list_filter = ["category"]
    search_fields = ["name", "source"]
    inlines = [BracketInline]


@admin.register(FixedRate)
class FixedRateAdmin(SimpleHistoryAdmin):
    list_display = ["category", "amount", "effective_from", "source"]
    list_filter = ["category"]


@admin.register(Declaration)
class DeclarationAdmin(
    VersionedAdminMixin, GuardedHistoryMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    scope_path_fields = ("person__branch__path",)
    list_display = [
        "person",
        "effective_from",
        "category",
        "monthly_income",
        "declared_on",
        "declared_by",
    ]
    list_filter = ["category", "year"]
    list_select_related = ["person", "person__branch", "declared_by"]
    search_fields = ["person__name", "person__employee_no"]
    autocomplete_fields = ["person"]
    date_hierarchy = "effective_from"
    readonly_fields = ["declared_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Payment)
class PaymentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: entries are never changed or deleted (the database refuses too)."""

    scope_path_fields = ("branch__path",)
    list_display = [
        "person",
        "branch",
        "month",
        "kind",
        "amount",
        "method",
        "paid_on",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["kind", "method", "month"]
    list_select_related = ["person", "branch", "recorded_by"]
    search_fields = ["person__name", "person__employee_no", "reason"]
    date_hierarchy = "month"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
