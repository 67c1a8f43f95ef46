"""Panels that an app shows on pages other apps own (the organisation page, a person's
page, the overview) load by htmx after the page, so the host page's queries stay as
they are whatever apps add panels to it."""

from django.utils.html import format_html
from django.utils.safestring import SafeString


def htmx_panel(url: str, element_id: str, label: str) -> SafeString:
    """A placeholder card that htmx replaces with the panel at `url` once the page has
    loaded; without JavaScript it is a link to the panel."""
    return format_html(
        '<div id="{}" hx-get="{}" hx-trigger="load" hx-swap="outerHTML">'
        '<div class="card mb-3"><div class="card-body small text-body-secondary">'
        '<a href="{}">{}</a></div></div></div>',
        element_id,
        url,
        url,
        label,
    )
