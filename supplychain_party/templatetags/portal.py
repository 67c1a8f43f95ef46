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


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    """The page's filters as a query string for its export link (the page number dropped:
    the export has every row the filters keep)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    return f"?{params.urlencode()}" if params else ""


@register.filter
def indent(depth: int, base: int = 1) -> range:
    """The indent steps of a node at `depth` in a tree table, one `.tree-indent` spacer
    each (an inline padding style would be refused by the Content-Security-Policy)."""
    return range(max(depth - base, 0))
