"""People in the admin, with their memberships and posts inline."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from supplychain_party.concurrency import VersionedAdminMixin

from ..admin_scope import PERSON_PATH_FIELDS, GuardedHistoryMixin, ScopedAdminMixin
from ..models import Membership, Person, Post
from .memberships import MembershipInline, save_membership_formset
from .posts import PersonPostInline, save_post_formset
from .write_path import ServiceRefusalMixin


@admin.register(Person)
class PersonAdmin(
    VersionedAdminMixin,
    ServiceRefusalMixin,
    ScopedAdminMixin,
    GuardedHistoryMixin,
    SimpleHistoryAdmin,
):
    """The person register. Branch and party group are read-only here: they follow
    the person's memberships (see the module docstring)."""

    scope_path_fields = PERSON_PATH_FIELDS
    list_display = (
        "name",
        "employee_no",
        "department",
        "masked_phone",
        "status",
        "branch",
        "group",
        "is_active",
    )
    list_filter = ("status", "branch__segment", "is_active")
    list_select_related = ("branch", "group")
    search_fields = ("name", "=employee_no", "department", "phone")
    autocomplete_fields = ("node", "user")
    inlines = (MembershipInline, PersonPostInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "employee_no"),
                    ("gender", "birth_date"),
                    "phone",
                    ("department", "job_title"),
                    "node",
                    "is_active",
                    "note",
                )
            },
        ),
        (_("Party"), {"fields": ("status", ("joined_party_on", "full_member_on"))}),
        (_("Branch and login"), {"fields": (("branch", "group"), "user")}),
    )

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return obj.masked_phone

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = ["branch", "group"]
        # Linking a login hands that login the person's posts; that is user admin.
        if not request.user.has_perm("auth.change_user"):
            readonly.append("user")
        return readonly

    def save_model(self, request, obj, form, change):
        if change:
            # The form leaves read-only fields alone, but simple_history's revert page
            # hands us a historical instance: keep the current branch, group and login.
            attnames = [
                Person._meta.get_field(name).attname
                for name in self.get_readonly_fields(request, obj)
            ]
            current = Person.objects.filter(pk=obj.pk).values(*attnames).first() or {}
            for attname, value in current.items():
                setattr(obj, attname, value)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_membership_formset(formset)
        elif formset.model is Post:
            save_post_formset(formset)
        else:
            super().save_formset(request, form, formset, change)
