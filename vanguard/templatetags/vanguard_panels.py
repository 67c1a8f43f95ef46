"""Pledges and model posts panels for pages other apps own: the organisation page, a person's
page (the member's home and the person page) and the committee's overview.

Each tag renders nothing when the app has nothing to show there. Panels that need
queries load by htmx, so the host page's query count stays as it is."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _placeholder(url: str, element_id: str) -> str:
    return format_html(
        '<div id="{}" hx-get="{}" hx-trigger="load" hx-swap="outerHTML">'
        '<div class="card mb-3"><div class="card-body small text-body-secondary">'
        '<a href="{}">{}</a></div></div></div>',
        element_id,
        url,
        url,
        _("Loading pledges and model posts…"),
    )


@register.simple_tag(takes_context=True)
def vanguard_organisation_panel(context, organisation) -> str:
    """Designations and approved pledges of the organisation's subtree."""
    if organisation.is_group:
        return ""
    return _placeholder(
        reverse("vanguard:organisation_panel", args=[organisation.pk]),
        "vanguard-organisation-panel",
    )


@register.simple_tag(takes_context=True)
def vanguard_person_panel(context, person) -> str:
    """The member card's summary and a link to the printable card."""
    if person is None or not person.is_party_member:
        return ""
    return _placeholder(reverse("vanguard:person_panel", args=[person.pk]), "vanguard-person-panel")


@register.simple_tag(takes_context=True)
def vanguard_overview_panel(context) -> str:
    """The same figures for the top organisation of the overview (no query here: the
    overview already holds its top organisations)."""
    tops = context.get("tops") or []
    if not tops:
        return ""
    return _placeholder(
        reverse("vanguard:organisation_panel", args=[tops[0].pk]), "vanguard-organisation-panel"
    )
