"""The columns of the organisations list: its page's table head and its Excel export
(`supplychain_party.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supplychain_party.exports import Column


def _party_members(org) -> int:
    return org.party_members if org.is_branch or org.is_group else org.subtree_party_members


def _structure(org) -> str:
    if org.warnings:
        return "；".join(str(w.message) for w in org.warnings)
    return str(_("OK")) if org.is_branch else ""


ORGANISATION_COLUMNS = (
    Column(pgettext_lazy("organisation", "Name"), lambda o: o.name),
    Column(_("Kind"), lambda o: o.get_kind_display()),
    Column(_("Segment"), lambda o: str(o.segment) if o.segment else "—"),
    Column(_("Party members"), _party_members, numeric=True),
    Column(_("Full members"), lambda o: o.full_members if o.is_branch else "—", numeric=True),
    Column(_("All people"), lambda o: o.people_count if o.is_branch else "—", numeric=True),
    Column(_("Structure"), _structure),
)
