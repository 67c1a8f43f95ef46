"""The ledger of model posts and safety zones (党员示范岗和安全责任区台账) as Excel.

Headers go through gettext so the workbook speaks the page's language (Chinese by
default); the columns are those of the page, with its filters applied."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from supplychain_party.exports import Column

from .models import Designation, Pledge


def designations_workbook(
    *, organisation: Organisation, designations: Iterable[Designation]
) -> Workbook:
    headers = [
        (_("No."), 6),
        (_("Branch"), 18),
        (_("Kind"), 16),
        (_("Name"), 24),
        (_("Responsible members"), 20),
        (_("Business node"), 12),
        (_("Location"), 20),
        (_("From"), 12),
        (_("Until"), 12),
        (_("Status"), 8),
        (_("Criteria"), 40),
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Designations")[:31]
    sheet.append(
        [
            _("%(org)s: member model posts and safety responsibility zones")
            % {"org": organisation.name}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([name for name, _width in headers])
    for column, (_name, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    for number, d in enumerate(designations, start=1):
        sheet.append(
            [
                number,
                d.organisation.name,
                d.get_kind_display(),
                d.name,
                "、".join(p.name for p in d.responsible.all()),
                d.node.name if d.node else "",
                d.location,
                d.starts_on,
                d.ends_on,
                d.get_status_display(),
                d.criteria,
            ]
        )
        for column in (8, 9):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    return workbook


def _pledge_status(pledge: Pledge) -> str:
    """The status cell of the page: the status, why it was returned, who reviewed it."""
    parts = [pledge.get_status_display()]
    if pledge.status == Pledge.Status.RETURNED and pledge.return_reason:
        parts.append(pledge.return_reason)
    if pledge.reviewed_by:
        parts.append(pledge.reviewed_by.name)
    return " · ".join(str(part) for part in parts)


# The pledge list's columns (its page, without the review buttons, and its export).
PLEDGE_COLUMNS = (
    Column(gettext_lazy("Member"), lambda p: p.person.name),
    Column(gettext_lazy("Branch"), lambda p: p.branch.name),
    Column(gettext_lazy("Pledge"), lambda p: p.text, width=60),
    Column(gettext_lazy("Status"), _pledge_status),
)
