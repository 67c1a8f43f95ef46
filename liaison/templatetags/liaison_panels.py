"""Liaison panels for pages other apps own (the member's home, an organisation's page).

Each tag renders a placeholder that htmx fills from a liaison view once the page has
loaded: the host page runs no liaison query at all, so its pinned query count stays
as it is, and the panel's own queries are pinned on its own URL.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading mass liaison…"))


@register.simple_tag
def liaison_member_panel() -> str:
    """My visits, pairings and problems (for the member's home)."""
    return _placeholder(reverse("liaison:member_panel"), "liaison-member-panel")


@register.simple_tag
def liaison_organisation_panel(organisation) -> str:
    """Open and overdue problems, visits to review and escalations received."""
    return _placeholder(
        reverse("liaison:organisation_panel", args=[organisation.pk]), "liaison-organisation-panel"
    )
