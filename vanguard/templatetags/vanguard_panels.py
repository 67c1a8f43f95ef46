"""Pledges and model posts panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading pledges and model posts…"))


@register.simple_tag(takes_context=True)
def vanguard_organisation_panel(context, organisation) -> str:
    """Designations and approved pledges of the organisation's subtree."""
    if organisation.is_group:
        return ""
    return _placeholder(
        reverse("vanguard:organisation_panel", args=[organisation.pk]),
        "vanguard-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def vanguard_person_panel(context, person) -> str:
    """The member card's summary and a link to the printable card."""
    if person is None or not person.is_party_member:
        return ""
    return _placeholder(reverse("vanguard:person_panel", args=[person.pk]), "vanguard-person-panel")


@register.simple_tag(takes_context=True)
def vanguard_overview_panel(context) -> str:
    """The same figures for the top organisation of the overview (no query here: the
    overview already holds its top organisations)."""
    tops = context.get("tops") or []
    if not tops:
        return ""
    return _placeholder(
        reverse("vanguard:organisation_panel", args=[tops[0].pk]), "vanguard-organisation-panel"
    )
