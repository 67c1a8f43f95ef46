"""The columns of the activities app's lists (activities, joint projects, documents):
each page's table head and its Excel export (`supplychain_party.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from supplychain_party.exports import Column

ACTIVITY_COLUMNS = (
    Column(_("Date"), lambda a: a.held_on),
    Column(_("Kind"), lambda a: a.get_kind_display()),
    Column(_("Title"), lambda a: a.title, width=36),
    Column(_("Organiser"), lambda a: a.organisation.name),
    Column(_("Place"), lambda a: a.place),
    Column(_("Speakers"), lambda a: a.speaker_count),
    Column(_("Attendees"), lambda a: a.attendee_count),
)

PROJECT_COLUMNS = (
    Column(_("Topic"), lambda p: p.topic, width=40),
    Column(
        _("Pairing"),
        lambda p: f"{p.partnership.organisation.name} ⇄ {p.partnership.partner.name}",
    ),
    Column(_("Lead"), lambda p: p.lead.name),
    Column(_("Due on"), lambda p: p.due_on),
    Column(_("Status"), lambda p: p.get_status_display()),
    Column(_("Progress"), lambda p: p.percent / 100, number_format="0%"),
)

DOCUMENT_COLUMNS = (
    Column(_("Title"), lambda d: d.title, width=40),
    Column(_("Category"), lambda d: d.get_category_display()),
    Column(_("Owner"), lambda d: d.organisation.name),
    Column(_("Visibility"), lambda d: d.get_visibility_display()),
    Column(_("Current version"), lambda d: f"v{d.current_number}" if d.current_number else "—"),
)
