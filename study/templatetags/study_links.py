"""Absolute links to study pages, for e-mails (which are read outside the portal)."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def study_unread_url() -> str:
    """The page listing what the recipient has still to read."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("study:unread")
