"""The columns of the terms list (换届台账): its page's table head and its Excel export
(`supplychain_party.exports`). Rows are `selectors.TermRow`s."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from supplychain_party.exports import Column

from .selectors import NO_TERM, OVERDUE, SOON

# The words of the state badge (elections/_state_badge.html).
STATE_NAMES = {
    OVERDUE: _("Overdue"),
    SOON: _("Ends within six months"),
    NO_TERM: _("No term recorded"),
}

TERM_COLUMNS = (
    Column(_("Organisation"), lambda row: row.organisation.name),
    Column(_("Kind"), lambda row: row.organisation.get_kind_display()),
    Column(_("Term started on"), lambda row: row.started_on),
    Column(_("Term ends on"), lambda row: row.ends_on),
    Column(_("Months left"), lambda row: row.months_left, numeric=True),
    Column(_("State"), lambda row: STATE_NAMES.get(row.state, _("In term"))),
)
