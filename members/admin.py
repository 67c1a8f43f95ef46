"""The committee's admin for people, memberships and posts.

Memberships: `Person.branch` and `Person.group` are a copy of the person's open
membership, kept by `members.services.membership_start/membership_end` so that
scoping a list of people is one join. The admin therefore never edits them
directly: they are read-only on the person's page, a membership's dates and places
are read-only once it exists (it is dated history), and a new membership, whether
added in the person's inline or on the membership page, is saved by
`membership_start`, which closes the open one and moves the person. Ending a
membership is an action that calls `membership_end`. One write path, whichever
page the committee uses.

Posts are added through `post_assign` the same way (it refuses a second secretary
and a group leader outside a group), and ended by an action calling `post_end`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import BaseModelFormSet, InlineForeignKeyField
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from branches.models import Organisation

from .access import scope_for
from .admin_scope import (
    PERSON_PATH_FIELDS,
    GuardedHistoryMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
)
from .models import Membership, Person, Post
from .services import membership_end, membership_start, post_assign, post_end

# --- Filters ---


class StateFilter(admin.SimpleListFilter):
    """Current / ended / all, showing the current ones unless asked otherwise."""

    title = _("state")
    parameter_name = "state"
    default = "current"

    def lookups(self, request, model_admin):
        return (("current", _("Current")), ("ended", _("Ended")), ("all", _("All")))

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "ended":
            return queryset.filter(ended_on__lte=today)
        return queryset


# --- Forms ---


class InlineConstraintsMixin:
    """Check the model's constraints that involve the parent's foreign key.

    An inline form leaves the parent's key out of `full_clean()`, so a constraint
    such as "one open secretary per organisation" would otherwise surface only as a
    database error when the row is saved.
    """

    skip_constraints: tuple[str, ...] = ()

    def validate_unique(self):
        super().validate_unique()
        inline_keys = {
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        }
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            fields = set(getattr(constraint, "fields", ()))
            if constraint.name in self.skip_constraints or not fields & inline_keys:
                continue
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except ValidationError as error:
                self.add_error(None, error)


class _DryRun(Exception):
    pass


def dry_run(service, **kwargs) -> None:
    """Run a service in a savepoint that is always rolled back.

    A form learns exactly what the service would refuse (raised as ValidationError)
    without a copy of the service's rules; the page then saves through the same
    service for real. Callers pass fresh copies of the objects a service mutates.
    """
    try:
        with transaction.atomic():
            service(**kwargs)
            raise _DryRun
    except _DryRun:
        pass


def _fresh(model, obj):
    """A copy from the database, or None for an object not saved yet."""
    if obj is None or obj.pk is None:
        return None
    return model._default_manager.get(pk=obj.pk)


class PostForm(forms.ModelForm):
    """A post; a new one is checked by `post_assign` itself (see `dry_run`)."""

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role") or self.instance.role
        organisation = cleaned_data.get("organisation")
        if organisation is None and self.instance.organisation_id:
            organisation = self.instance.organisation
        person = cleaned_data.get("person")
        if person is None and self.instance.person_id:
            person = self.instance.person
        # For existing rows too, whose role an inline may change.
        if (
            role
            and organisation is not None
            and ((role == Post.Role.GROUP_LEADER) != (organisation.kind == Organisation.Kind.GROUP))
        ):
            self.add_error("role", _("A party group has a group leader, and only a group does."))
        fresh_person = _fresh(Person, person)
        fresh_organisation = _fresh(Organisation, organisation)
        if (
            self.instance.pk is None
            and not self.errors
            and fresh_person is not None
            and fresh_organisation is not None
            and cleaned_data.get("started_on")
        ):
            try:
                dry_run(
                    post_assign,
                    person=fresh_person,
                    organisation=fresh_organisation,
                    role=role,
                    on=cleaned_data["started_on"],
                    is_part_time=cleaned_data.get("is_part_time", True),
                    business_post=cleaned_data.get("business_post", ""),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class PostInlineForm(InlineConstraintsMixin, PostForm):
    pass


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


class ServiceRefusalMixin:
    """The last guard: a service that refuses while the page is being saved (a rule
    no form could check alone, e.g. two new secretaries in one submission) rolls the
    whole save back and tells the user why, instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            # ModelAdmin.changeform_view runs in its own atomic block: nothing is kept.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# --- Saving through the services ---


def save_post_formset(formset: BaseModelFormSet) -> None:
    """Save a formset of posts: new ones through `post_assign`, the rest as edited."""
    instances = formset.save(commit=False)
    for post in formset.deleted_objects:
        post.delete()
    new_posts = []
    for post in instances:
        if post.pk is not None:
            post.save()
            continue
        assigned = post_assign(
            person=post.person,
            organisation=post.organisation,
            role=post.role,
            on=post.started_on,
            is_part_time=post.is_part_time,
            business_post=post.business_post,
        )
        if post.ended_on:
            post_end(post=assigned, on=post.ended_on)
        new_posts.append(assigned)
    formset.new_objects = new_posts


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


# --- Inlines ---


class PostInline(ScopedInlineMixin, admin.TabularInline):
    """Posts on an organisation's page."""

    model = Post
    form = PostInlineForm
    scope_path_fields = ("organisation__path",)
    fields = ("person", "role", "started_on", "ended_on", "is_part_time", "business_post")
    autocomplete_fields = ("person",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        # Each row's title (`Post.__str__`) names the organisation and the person.
        return super().get_queryset(request).select_related("person", "organisation")


class PersonPostInline(PostInline):
    """Posts on a person's page."""

    fields = ("organisation", "role", "started_on", "ended_on", "is_part_time", "business_post")
    autocomplete_fields = ("organisation",)


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


# --- People ---


@admin.register(Person)
class PersonAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
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


# --- Memberships ---


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


# --- Posts ---


@admin.register(Post)
class PostAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    """Posts in organisations. A post's holder, organisation and role are fixed once
    it exists: end it and assign a new one, so the history stays true."""

    scope_path_fields = ("organisation__path",)
    form = PostForm
    list_display = (
        "person",
        "organisation",
        "role",
        "started_on",
        "ended_on",
        "is_part_time",
        "business_post",
        "two_duties",
    )
    list_filter = (StateFilter, "role", "is_part_time")
    list_select_related = ("person", "organisation")
    search_fields = ("person__name", "=person__employee_no", "organisation__name", "business_post")
    autocomplete_fields = ("person", "organisation")
    actions = ("end_posts",)

    @admin.display(boolean=True, description=_("One post, two duties"))
    def two_duties(self, obj: Post) -> bool:
        return obj.carries_two_duties

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("person", "organisation", "role") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        assigned = post_assign(
            person=obj.person,
            organisation=obj.organisation,
            role=obj.role,
            on=obj.started_on,
            is_part_time=obj.is_part_time,
            business_post=obj.business_post,
        )
        if obj.ended_on:
            post_end(post=assigned, on=obj.ended_on)
        obj.pk = assigned.pk
        obj._state.adding = False

    @admin.action(description=_("End the selected posts today"), permissions=["change"])
    def end_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        today = timezone.localdate()
        ended = 0
        for post in queryset.filter(ended_on__isnull=True, started_on__lte=today):
            post_end(post=post, on=today)
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d post ended.", "%(count)d posts ended.", ended) % {"count": ended},
            messages.SUCCESS,
        )
