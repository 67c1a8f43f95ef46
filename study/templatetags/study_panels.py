"""Study and credits panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders a placeholder that loads the panel by htmx, so the host page's query
count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading study…"))


@register.simple_tag(takes_context=True)
def study_organisation_panel(context, organisation) -> str:
    """Completion of the organisation's current study assignments."""
    if organisation is None or organisation.is_group:
        return ""
    return _placeholder(
        reverse("study:organisation_panel", args=[organisation.pk]), "study-organisation-panel"
    )


@register.simple_tag(takes_context=True)
def study_person_panel(context, person) -> str:
    """The person's credits this month and what they have still to read."""
    if person is None:
        return ""
    return _placeholder(reverse("study:person_panel", args=[person.pk]), "study-person-panel")


@register.simple_tag(takes_context=True)
def study_overview_panel(context) -> str:
    """The first of each branch in this month's credits."""
    return _placeholder(reverse("study:overview_panel"), "study-overview-panel")
