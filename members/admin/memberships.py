"""Memberships in the admin: started through `membership_start`, ended by an action."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from branches.models import Organisation

from ..access import scope_for
from ..admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin
from ..models import Membership, Person
from ..services import membership_end, membership_start
from .dated import StateFilter
from .write_path import ServiceRefusalMixin, _fresh, dry_run


class MembershipForm(forms.ModelForm):
    """A new membership, to be saved by `membership_start` (and checked by it, see
    `dry_run`); an existing one is read-only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for field in self.fields.values():
                field.disabled = True

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.instance.pk is None:
            # "One open membership per person": `membership_start` closes the open one
            # first, so a new one may overlap it here.
            exclusions.add("person")
        return exclusions

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            return cleaned_data
        branch = cleaned_data.get("branch")
        group = cleaned_data.get("group")
        # Checked here as well as by the service, because a person being added on the
        # same page cannot be dry-run yet, and the message belongs next to the group.
        if (
            branch is not None
            and group is not None
            and (group.kind != Organisation.Kind.GROUP or not group.path.startswith(branch.path))
        ):
            self.add_error(
                "group",
                _("The party group %(group)s is not in the branch %(branch)s.")
                % {"group": group, "branch": branch},
            )
        # In an inline the person is the page's (perhaps unsaved) parent.
        person = cleaned_data.get("person") or getattr(self.instance, "person", None)
        person = _fresh(Person, person)
        if (
            person is not None
            and branch is not None
            and cleaned_data.get("started_on")
            and not self.errors
        ):
            try:
                dry_run(
                    membership_start,
                    person=person,
                    branch=branch,
                    group=group,
                    on=cleaned_data["started_on"],
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


def save_membership_formset(formset: BaseModelFormSet) -> None:
    """Start each new membership through `membership_start` (existing rows are read-only)."""
    new_forms = [form for form in formset.extra_forms if form.has_changed()]
    new_forms.sort(key=lambda form: form.cleaned_data["started_on"])
    formset.new_objects = [
        membership_start(
            person=formset.instance,
            branch=form.cleaned_data["branch"],
            group=form.cleaned_data.get("group"),
            on=form.cleaned_data["started_on"],
        )
        for form in new_forms
    ]
    formset.changed_objects = []
    formset.deleted_objects = []


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    """The person's memberships: past ones read-only, a new one started by the service."""

    model = Membership
    form = MembershipForm
    scope_path_fields = ("branch__path",)
    fields = ("branch", "group", "started_on", "ended_on")
    readonly_fields = ("ended_on",)
    autocomplete_fields = ("branch", "group")
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("person", "branch", "group")

    def get_min_num(self, request: HttpRequest, obj=None, **kwargs) -> int | None:
        # A scoped user who adds a person places them in a branch at once; otherwise
        # the new person would fall outside the user's scope on saving.
        if obj is None and not scope_for(request.user).sees_all:
            return 1
        return super().get_min_num(request, obj, **kwargs)


@admin.register(Membership)
class MembershipAdmin(
    ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin
):
    """Dated memberships. Adding one calls `membership_start`; an existing one is
    read-only, ended by the action; its history cannot be reverted."""

    scope_path_fields = ("branch__path",)
    form = MembershipForm
    list_display = ("person", "branch", "group", "started_on", "ended_on")
    list_filter = (StateFilter, "branch__segment")
    list_select_related = ("person", "branch", "group")
    search_fields = ("person__name", "=person__employee_no", "branch__name")
    autocomplete_fields = ("person", "branch", "group")
    actions = ("end_memberships",)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return ("person", "branch", "group", "started_on")
        return ("person", "branch", "group", "started_on", "ended_on")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting the open membership would leave the person's branch behind; end it.
        if obj is not None and obj.ended_on is None:
            return False
        return super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on an existing membership is editable
        started = membership_start(
            person=obj.person, branch=obj.branch, group=obj.group, on=obj.started_on
        )
        # The admin logs and redirects to `obj`: make it the row the service saved.
        obj.pk = started.pk
        obj.started_on = started.started_on
        obj._state.adding = False

    @admin.action(description=_("End the selected memberships today"), permissions=["change"])
    def end_memberships(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        today = timezone.localdate()
        ended = 0
        for membership in queryset.filter(ended_on__isnull=True).select_related("person"):
            membership_end(person=membership.person, on=today)
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d membership ended.", "%(count)d memberships ended.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )
