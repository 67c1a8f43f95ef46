"""The columns of the register (the people list): its page's table head and its Excel
export (`supplychain_party.exports`). Phone numbers are masked in both, as personal
data: the export carries no more than the page shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from supplychain_party.exports import Column


def _or_dash(value) -> str:
    return str(value) if value else "—"


PERSON_COLUMNS = (
    Column(_("Name"), lambda p: p.name),
    Column(_("Employee number"), lambda p: _or_dash(p.employee_no)),
    Column(_("Political status"), lambda p: p.get_status_display()),
    Column(_("Branch"), lambda p: _or_dash(p.branch)),
    Column(_("Party group"), lambda p: _or_dash(p.group)),
    Column(_("Department"), lambda p: _or_dash(p.department)),
    Column(_("Business node"), lambda p: _or_dash(p.node)),
    Column(_("Phone"), lambda p: _or_dash(p.masked_phone)),
)
