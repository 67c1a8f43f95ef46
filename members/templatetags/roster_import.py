"""`{{ scope|may_import_roster }}`: whether to offer the roster import (no query)."""

from django import template

from members.imports.access import may_import

register = template.Library()


@register.filter
def may_import_roster(scope) -> bool:
    return may_import(scope)
