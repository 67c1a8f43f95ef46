"""Service team and supply status panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders a placeholder that htmx fills from a view of this app once the page
has loaded (the view answers with nothing when there is nothing to show), so the host
page runs no query of ours and its pinned query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading the service team…"))


@register.simple_tag(takes_context=True)
def serviceteam_organisation_panel(context, organisation) -> str:
    """The teams the organisation owns: roster size and services this month."""
    if organisation is None or organisation.is_group:  # groups own no team
        return ""
    return _placeholder(
        reverse("serviceteam:organisation_panel", args=[organisation.pk]),
        "serviceteam-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def serviceteam_person_panel(context, person) -> str:
    """The member's places on a team and how many services they went on."""
    if person is None:
        return ""
    return _placeholder(
        reverse("serviceteam:person_panel", args=[person.pk]), "serviceteam-person-panel"
    )


@register.simple_tag(takes_context=True)
def serviceteam_overview_panel(context) -> str:
    """This week's supply status board in figures: delays and missing entries."""
    return _placeholder(reverse("serviceteam:overview_panel"), "serviceteam-overview-panel")
