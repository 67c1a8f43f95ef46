"""Service team and supply status panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def serviceteam_organisation_panel(context, organisation) -> str:
    return ""


@register.simple_tag(takes_context=True)
def serviceteam_person_panel(context, person) -> str:
    return ""


@register.simple_tag(takes_context=True)
def serviceteam_overview_panel(context) -> str:
    return ""
