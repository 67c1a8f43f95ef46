"""Assessment panels for pages other apps own (the branch page, the member page),
loaded by htmx so the host page's queries stay as they are."""

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
        element_id, url, url, _("Loading assessments…"))


@register.simple_tag
def assessments_branch_panel(organisation) -> str:
    """The branch's grade, red flags and post stars."""
    if not organisation.is_branch:
        return ""
    return _placeholder(reverse("assessments:branch_panel", args=[organisation.pk]),
                        "assessments-branch-panel")


@register.simple_tag
def assessments_member_stars(person) -> str:
    """The member's post stars."""
    return _placeholder(reverse("assessments:member_stars", args=[person.pk]),
                        "assessments-member-stars")
