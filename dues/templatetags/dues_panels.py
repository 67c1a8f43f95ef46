"""Membership dues panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading dues…"))


@register.simple_tag(takes_context=True)
def dues_organisation_panel(context, organisation) -> str:
    """This month: members paid in full, collected of due, members in arrears."""
    if organisation is None or organisation.is_group:
        return ""
    return _placeholder(
        reverse("dues:organisation_panel", args=[organisation.pk]), "dues-organisation-panel"
    )


@register.simple_tag(takes_context=True)
def dues_person_panel(context, person) -> str:
    """The member's dues this month: due, paid, months in arrears."""
    if person is None or not person.is_party_member:
        return ""
    return _placeholder(reverse("dues:person_panel", args=[person.pk]), "dues-person-panel")


@register.simple_tag(takes_context=True)
def dues_overview_panel(context) -> str:
    """The month's totals over the subtree the user leads."""
    return _placeholder(reverse("dues:overview_panel"), "dues-overview-panel")
