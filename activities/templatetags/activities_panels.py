"""Activities and pairing panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def activities_organisation_panel(context, organisation) -> str:
    """Recent activities of the subtree and its joint projects' progress."""
    if organisation.is_group:
        return ""
    url = reverse("activities:organisation_panel", args=[organisation.pk])
    return format_html(
        '<div id="activities-organisation-panel" hx-get="{}" hx-trigger="load" '
        'hx-swap="outerHTML"><div class="card mb-3"><div class="card-body small '
        'text-body-secondary"><a href="{}">{}</a></div></div></div>',
        url,
        url,
        _("Loading activities…"),
    )


@register.simple_tag(takes_context=True)
def activities_person_panel(context, person) -> str:
    return ""


@register.simple_tag(takes_context=True)
def activities_overview_panel(context) -> str:
    return ""
