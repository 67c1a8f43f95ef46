"""One write path from the admin: dry runs of the services, refusals shown to the user."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import InlineForeignKeyField
from django.http import HttpResponseRedirect


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
