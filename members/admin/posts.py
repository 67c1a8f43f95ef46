"""Posts in the admin: assigned through `post_assign`, ended by an action."""

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
from supplychain_party.concurrency import VersionedAdminMixin, VersionedInlineMixin

from ..admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin
from ..models import Person, Post
from ..services import post_assign, post_end
from .dated import StateFilter
from .write_path import InlineConstraintsMixin, ServiceRefusalMixin, _fresh, dry_run


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


class PostInline(VersionedInlineMixin, ScopedInlineMixin, admin.TabularInline):
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


@admin.register(Post)
class PostAdmin(
    VersionedAdminMixin,
    ServiceRefusalMixin,
    ScopedAdminMixin,
    GuardedHistoryMixin,
    SimpleHistoryAdmin,
):
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
