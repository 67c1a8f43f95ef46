"""Membership transfers panels for pages other apps own: the organisation page and a
person's page (the member's home and the person page). They load by htmx, so the host
page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading membership transfers…"))


@register.simple_tag(takes_context=True)
def transfers_organisation_panel(context, organisation) -> str:
    """Open transfers out of and into the organisation's subtree."""
    if organisation.is_group:
        return ""
    return _placeholder(
        reverse("transfers:organisation_panel", args=[organisation.pk]),
        "transfers-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def transfers_person_panel(context, person) -> str:
    """The person's transfers."""
    return _placeholder(
        reverse("transfers:person_panel", args=[person.pk]), "transfers-person-panel"
    )
