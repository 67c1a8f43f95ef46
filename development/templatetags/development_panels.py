"""Member development panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading member development…"))


@register.simple_tag(takes_context=True)
def development_organisation_panel(context, organisation) -> str:
    """A branch's pipeline summary (or a subtree's, on a general branch's page)."""
    if organisation is None or organisation.kind == "group":
        return ""
    return _placeholder(
        reverse("development:organisation_panel", args=[organisation.pk]),
        "development-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def development_person_panel(context, person) -> str:
    """The person's stage, if they have an open development record."""
    # Full members and non-party staff have no open record (a probationary member has).
    if person is None or person.status in ("full", "masses"):
        return ""
    return _placeholder(
        reverse("development:person_panel", args=[person.pk]), "development-person-panel"
    )


@register.simple_tag(takes_context=True)
def development_overview_panel(context) -> str:
    """Members developed per year, on the committee's and a general branch's overview."""
    return _placeholder(reverse("development:overview_panel"), "development-overview-panel")
