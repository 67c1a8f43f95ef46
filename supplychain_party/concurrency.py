"""Optimistic concurrency for every page that edits an existing record: when two
people edit the same record, the second is told and nothing is overwritten silently.

An edit page carries, in a hidden field, the record's *version token* as it was when
the page was opened: a digest of the values that page edits (and of the rows it edits
with them, such as a meeting's attendance). The service that saves the edit locks the
row (`select_for_update`), computes the token again and, when it differs, refuses with
`StaleEdit`: somebody saved in between, and their values stay. The form is shown again
with the message; reloading the page shows their values and a fresh token.

Why a digest rather than a `version` column: it needs no column (and no migration) on
a dozen models, it notices a change whichever path made it (a portal page, the admin,
a sweep, a plain `UPDATE`), and only changes to what the page would overwrite count, so
a reminder sweep moving a schedule column does not make an open edit page stale.

- `version_token()` / `check_version()`: used by the services;
- `VersionedFormMixin`: the hidden field on a portal form (`form.version`);
- `VersionedAdminMixin`, `VersionedInlineMixin`: the same check on a ModelAdmin's
  change form and on each row of an inline (a row the user did not change is not
  checked: it is not saved either).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from functools import cache

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms.models import InlineForeignKeyField
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"
# The token of a record that does not exist yet (a member's first pledge of the year).
NO_RECORD = "none"

STALE_MESSAGE = _(
    "Someone else changed this record after you opened it, so your changes were not "
    "saved and theirs were kept. Reload the page to see the current version, then make "
    "your changes again."
)


class StaleEdit(ValidationError):
    """The record changed since the edit page was opened."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


def _names(fields) -> list[str]:
    if dataclasses.is_dataclass(fields):
        return [field.name for field in dataclasses.fields(fields)]
    return list(fields)


def _value(instance: Model, name: str):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(instance, name).values_list("pk", flat=True))
    return field.value_from_object(instance)


def version_token(instance: Model | None, fields=(), related: Iterable = ()) -> str:
    """The token of `instance` over `fields` (names, or a dataclass whose field names
    are the model's, e.g. a service's `MeetingData`) and the `related` rows (an
    iterable of tuples, in a stable order). `None` (no record yet) has its own token."""
    if instance is None:
        return NO_RECORD
    values = [[name, _value(instance, name)] for name in sorted(_names(fields))]
    values.append([list(row) for row in related])
    encoded = json.dumps(values, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def check_version(token: str | None, current: str) -> None:
    """Refuse with `StaleEdit` when the page's `token` is not the record's `current`
    token (computed from the row read under the caller's lock). No token (an edit made
    by a job, the demo, a form opened before this check existed) is not checked."""
    if token and not constant_time_compare(token, current):
        raise StaleEdit


class VersionField(forms.CharField):
    """The hidden token. It never counts as a change of the form: an inline row the
    user left alone stays unsaved."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class VersionedFormMixin:
    """A portal form that carries the record's token: an edit page passes `version=`
    (the service's `<entity>_version(record)`) and hands `form.version` to the service
    that saves it. Without `version` (a create page) the form has no such field."""

    def __init__(self, *args, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if version is not None:
            self.fields[VERSION_FIELD] = VersionField(initial=version)

    @property
    def version(self) -> str:
        return getattr(self, "cleaned_data", {}).get(VERSION_FIELD) or ""


class _VersionedAdminForm(forms.ModelForm):
    """An admin form (a change form or an inline row) with the token of the fields it
    edits (or of the admin's `version_fields`). When the user changed something, the
    token is checked in `clean()` against the row locked for the save (the admin's
    change view saves in one transaction)."""

    version = VersionField()
    version_fields: tuple[str, ...] | None = None  # set by `_versioned`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial[VERSION_FIELD] = version_token(self._current(), self._fields())

    def _fields(self) -> list[str]:
        if self.version_fields is not None:
            return list(self.version_fields)
        opts = self.instance._meta
        names = []
        for name, form_field in self.fields.items():
            # An inline's key and parent are added after __init__ and never change.
            if name == opts.pk.name or isinstance(form_field, InlineForeignKeyField):
                continue
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:  # a form-only field (a decision, a comment)
                continue
            if field.concrete or field.many_to_many:
                names.append(name)
        return names

    def _current(self, *, lock: bool = False) -> Model | None:
        # simple_history's revert page hands the form a historical copy: the token is
        # always the current row's.
        if getattr(self.instance, "_history", None) is None and not lock:
            return self.instance
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        return rows.first()

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get(VERSION_FIELD)
        # Nothing changed (the posted values are the row's current ones): saving
        # overwrites nothing, so there is nothing to check.
        if token and self.instance.pk is not None and self.has_changed():
            try:
                check_version(token, version_token(self._current(lock=True), self._fields()))
            except StaleEdit as error:
                self.add_error(None, error)
        return cleaned


@cache
def _versioned(form_class: type[forms.ModelForm], fields: tuple[str, ...] | None):
    return type(form_class.__name__, (_VersionedAdminForm, form_class), {"version_fields": fields})


class _VersionFieldset:
    version_fields: tuple[str, ...] | None = None

    def _carries_version(self, obj) -> bool:
        return True

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._carries_version(obj) or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]


class VersionedAdminMixin(_VersionFieldset):
    """Put first in a ModelAdmin's bases: its change form carries the record's token,
    and saving over someone else's change is refused with the form shown again.
    `version_fields` names what the token covers when the form edits no model field
    itself (a decision form over the record's state); by default, the form's fields."""

    def _carries_version(self, obj) -> bool:
        return obj is not None and obj.pk is not None  # an add form has nothing to be stale

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._carries_version(obj):
            kwargs["form"] = _versioned(kwargs.get("form", self.form), self.version_fields)
        return super().get_form(request, obj, change=change, **kwargs)


class VersionedInlineMixin(_VersionFieldset):
    """The same for each row of an inline: a row the user changed is refused when
    someone else saved it since the page was opened."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _versioned(kwargs.get("form", self.form), self.version_fields)
        return super().get_formset(request, obj, **kwargs)
