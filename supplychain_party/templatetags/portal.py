"""Template helpers shared by every app's pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (keeps filters when paging)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def indent(depth: int, base: int = 1) -> str:
    """Left padding, in rem, for a node at `depth` in a tree table."""
    return f"{max(depth - base, 0) * 1.25}rem"
