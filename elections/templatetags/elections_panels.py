"""Terms and elections panels for pages other apps own: the organisation page and the
committee's overview. They load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organisation
from supplychain_party.panels import htmx_panel

register = template.Library()

ELECTED = (Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH, Organisation.Kind.BRANCH)


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading the committee term…"))


@register.simple_tag(takes_context=True)
def elections_organisation_panel(context, organisation) -> str:
    """When the organisation's term ends."""
    if organisation.kind not in ELECTED:
        return ""
    return _placeholder(
        reverse("elections:organisation_panel", args=[organisation.pk]),
        "elections-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def elections_overview_panel(context) -> str:
    """Terms ending within six months and overdue ones, in the user's subtree."""
    return _placeholder(reverse("elections:overview_panel"), "elections-overview-panel")
