"""Dated rows in the admin: the current / ended filter of memberships and posts."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
