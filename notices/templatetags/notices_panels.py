"""Notices panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders a placeholder that htmx fills from a notices view once the page
has loaded: the host page runs no notices query, so its pinned query count stays as
it is, and the panels' own queries are pinned on their URLs."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading notices…"))


@register.simple_tag(takes_context=True)
def notices_organisation_panel(context, organisation) -> str:
    """The notices the organisation sent, with their read rates."""
    return _placeholder(
        reverse("notices:organisation_panel", args=[organisation.pk]), "notices-organisation-panel"
    )


@register.simple_tag(takes_context=True)
def notices_person_panel(context, person) -> str:
    """The person's latest unread notices."""
    if person is None:
        return ""
    return _placeholder(reverse("notices:person_panel", args=[person.pk]), "notices-person-panel")


@register.simple_tag(takes_context=True)
def notices_overview_panel(context) -> str:
    """The important notices of the user's tree, with how many have not read them."""
    return _placeholder(reverse("notices:overview_panel"), "notices-overview-panel")
