"""Assessment panels for pages other apps own (the branch page, the member page),
loaded by htmx so the host page's queries stay as they are."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from supplychain_party.panels import htmx_panel

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return htmx_panel(url, element_id, _("Loading assessments…"))


@register.simple_tag
def assessments_branch_panel(organisation) -> str:
    """The branch's grade, red flags and post stars."""
    if not organisation.is_branch:
        return ""
    return _placeholder(
        reverse("assessments:branch_panel", args=[organisation.pk]), "assessments-branch-panel"
    )


@register.simple_tag
def assessments_member_stars(person) -> str:
    """The member's post stars."""
    return _placeholder(
        reverse("assessments:member_stars", args=[person.pk]), "assessments-member-stars"
    )
