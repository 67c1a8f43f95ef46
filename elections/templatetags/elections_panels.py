"""Terms and elections panels for pages other apps own: the organisation page and the
committee's overview. They load by htmx, so the host page's query count stays as it is;
the person panel renders nothing (a member's posts already show on their page)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from branches.models import Organisation

register = template.Library()

ELECTED = (Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH, Organisation.Kind.BRANCH)


def _placeholder(url: str, element_id: str) -> str:
    return format_html(
        '<div id="{}" hx-get="{}" hx-trigger="load" hx-swap="outerHTML">'
        '<div class="card mb-3"><div class="card-body small text-body-secondary">'
        '<a href="{}">{}</a></div></div></div>',
        element_id,
        url,
        url,
        _("Loading the committee term…"),
    )


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
def elections_person_panel(context, person) -> str:
    return ""


@register.simple_tag(takes_context=True)
def elections_overview_panel(context) -> str:
    """Terms ending within six months and overdue ones, in the user's subtree."""
    return _placeholder(reverse("elections:overview_panel"), "elections-overview-panel")
