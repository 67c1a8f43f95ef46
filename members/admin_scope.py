"""Role scoping for the admin, on top of `members.access` (the one access layer).

A staff user who leads a general branch sees and edits only that subtree in the
admin, exactly as in the portal: the change lists, the change pages, the history
pages and every foreign-key choice go through `scope_for(request.user)`. A
superuser's scope sees everything; staff with `members.view_whole_tree` see every row
and change only those their posts cover. Models without an organisation (segments,
business nodes, structure rules, outside organisations) are global reference data
and are not scoped; their model permissions alone decide.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import ForeignKey, Model, QuerySet
from django.forms.models import InlineForeignKeyField
from django.http import HttpRequest

from branches.models import Organisation
from supplychain_party.admin_lists import QuickCheckboxMixin
from supplychain_party.pagination import LargeTablePaginator

from .access import Scope, scope_for
from .models import Person

# How a person is placed in the tree (their current branch and party group).
PERSON_PATH_FIELDS = ("branch__path", "group__path")


def scoped_organisations(scope: Scope) -> QuerySet[Organisation]:
    return scope.organisations()


def scoped_people(scope: Scope) -> QuerySet[Person]:
    # `within`, not `Scope.people()`: the admin manages the user's subtrees; the
    # user's own record, which `people()` adds for the portal, is no admin matter.
    return scope.within(Person.objects.all(), *PERSON_PATH_FIELDS)


def _path_of(obj: Model, path_field: str) -> str | None:
    """Follow `branch__path` on an instance (no query when the relation is loaded)."""
    value = obj
    for attname in path_field.split("__"):
        value = getattr(value, attname, None)
        if value is None:
            return None
    return value


def scope_covers(scope: Scope, obj: Model, path_fields: tuple[str, ...]) -> bool:
    """Whether the instance reaches an organisation in scope through any path field."""
    if scope.sees_all:
        return True
    for path_field in path_fields:
        path = _path_of(obj, path_field)
        if path and any(path.startswith(prefix) for prefix in scope.paths):
            return True
    return False


class KeepCurrentChoicesMixin(forms.ModelForm):
    """A row may point outside the user's scope (a general branch's secretary who is a
    member of a branch elsewhere, the committee above a general branch): keep that
    current value acceptable, so saving an unrelated change does not fail with
    "select a valid choice", while every *new* choice stays in scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or isinstance(
                field, forms.ModelMultipleChoiceField | InlineForeignKeyField
            ):
                continue
            try:
                model_field = self.instance._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            if not isinstance(model_field, ForeignKey):
                continue
            current = getattr(self.instance, model_field.attname)
            if current is not None:
                related = field.queryset.model._default_manager.filter(pk=current)
                field.queryset = field.queryset | related


def _keeping_current_choices(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    return type(form_class.__name__, (KeepCurrentChoicesMixin, form_class), {})


class _ScopedBase(BaseModelAdmin):
    scope_path_fields: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return scope_for(request.user).within(queryset, *self.scope_path_fields)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        """Offer (and accept) only organisations and people in scope."""
        scope = scope_for(request.user)
        if not scope.sees_all and "queryset" not in kwargs:
            related = db_field.related_model
            if issubclass(related, Organisation):
                kwargs["queryset"] = scoped_organisations(scope)
            elif issubclass(related, Person):
                kwargs["queryset"] = scoped_people(scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(QuickCheckboxMixin, _ScopedBase):
    """Limit a ModelAdmin to the rows, the foreign-key choices and the objects in the
    user's scope.

    `scope_path_fields` names the tree path(s) a row is reached by, e.g. `("path",)`
    for organisations, `("branch__path", "group__path")` for people. Put the mixin
    first in the bases so that its `get_queryset` wraps the others'.
    """

    # Counting 200,000 rows on every filtered page is the slowest part of a change list:
    # no second count of the unfiltered list, and the whole table by its estimate.
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        return _keeping_current_choices(super().get_form(request, obj, change=change, **kwargs))

    def in_scope(self, request: HttpRequest, obj: Model | None, *, writing: bool = False) -> bool:
        if obj is None or obj.pk is None:
            return True
        scope = scope_for(request.user, writing=writing)
        return scope_covers(scope, obj, self.scope_path_fields)

    # Object permissions: the change, delete and history views (and simple_history's
    # revert view, which fetches its object without `get_queryset`) all ask these.
    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    # Changing takes the writing scope: a clerk who reads the whole tree sees its rows
    # read-only (members.access).
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(
            request, obj, writing=True
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(
            request, obj, writing=True
        )


class ScopedInlineMixin(_ScopedBase):
    """The same for an inline: its rows and its foreign-key choices. (Its permission
    checks receive the parent object, which the parent's admin has checked.)"""

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _keeping_current_choices(formset.form)
        return formset


class GuardedHistoryMixin:
    """simple_history's revert view saves on POST after checking only *view*
    permission; refuse the POST unless the user may change the object."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
