"""The transfer ledger as Excel (组织关系转接台账): the columns of the list page, with the
page's filters applied; headers in the portal's language (Chinese by default)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation

from .models import Transfer


def _headers() -> list[tuple[str, int]]:
    return [
        (_("No."), 6),
        (_("Letter number"), 16),
        (_("Member"), 10),
        (_("Direction"), 16),
        (pgettext("transfer", "From"), 22),
        (pgettext("transfer", "To"), 22),
        (_("Issued on"), 12),
        (_("Effective on"), 12),
        (_("Status"), 10),
        (_("Received on"), 12),
        (_("Confirmed on"), 12),
        (_("Reason"), 30),
    ]


def ledger_workbook(*, organisation: Organisation, transfers: Iterable[Transfer]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Transfer ledger")
    sheet.append([_("Membership transfer ledger of %(org)s") % {"org": organisation.name}])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = _headers()
    sheet.append([title for title, _width in headers])
    for index, (_title, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=2, column=index).font = Font(bold=True)
        sheet.cell(row=2, column=index).alignment = Alignment(horizontal="center")
    for n, t in enumerate(transfers, start=1):
        sheet.append(
            [
                n,
                f"{t.letter_year}-{t.letter_no}",
                t.person.name,
                t.get_direction_display(),
                t.origin,
                t.destination,
                t.issued_on,
                t.effective_on,
                t.get_status_display(),
                t.received_on,
                t.confirmed_on,
                t.reason,
            ]
        )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    return workbook
