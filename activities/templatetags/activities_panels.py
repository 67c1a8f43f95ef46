"""Activities and pairing panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading activities…"))


@register.simple_tag(takes_context=True)
def activities_organisation_panel(context, organisation) -> str:
    """Recent activities of the subtree and its joint projects' progress."""
    if organisation.is_group:
        return ""
    return _placeholder(
        reverse("activities:organisation_panel", args=[organisation.pk]),
        "activities-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def activities_person_panel(context, person) -> str:
    """The activities the person attended or spoke at, and their joint projects."""
    if person is None:
        return ""
    return _placeholder(
        reverse("activities:person_panel", args=[person.pk]), "activities-person-panel"
    )


@register.simple_tag(takes_context=True)
def activities_overview_panel(context) -> str:
    """Recent activities and joint projects of the overview's top organisation (no query
    here: the overview already holds its top organisations)."""
    tops = context.get("tops") or []
    if not tops:
        return ""
    return _placeholder(
        reverse("activities:organisation_panel", args=[tops[0].pk]),
        "activities-organisation-panel",
    )
