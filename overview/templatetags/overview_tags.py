"""Small filters for the overview pages."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """85.3 -> "85.3%", None -> "—" (nothing to divide by)."""
    if value is None:
        return "—"
    return f"{value:g}%"
