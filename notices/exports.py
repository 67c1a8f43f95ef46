"""Who has not read a notice, as an Excel sheet (the same columns as the page)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from supplychain_party.exports import Column

from .models import Notice, NoticeReceipt


def non_readers_workbook(*, notice: Notice, receipts: Iterable[NoticeReceipt]) -> Workbook:
    """One row per addressee who has not opened the notice, by branch then name.

    Headers in the portal's language (Chinese), whatever the page's: the sheet is
    handed to the branches to follow up."""
    with translation.override(settings.LANGUAGE_CODE):
        headers = [
            (_("No."), 6),
            (_("Name"), 12),
            (_("Branch"), 24),
            (_("Political status"), 12),
            (_("Phone"), 14),
            (_("Has a login"), 10),
        ]
        heading = _("Not yet read: %(title)s") % {"title": notice.title}
        published = _("Published %(date)s by %(org)s") % {
            "date": timezone.localtime(notice.published_at).strftime("%Y-%m-%d %H:%M")
            if notice.published_at
            else "—",
            "org": notice.organisation.name,
        }
        yes, no = _("yes"), _("no")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Not yet read"))
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([published])
        sheet.append([str(name) for name, _width in headers])
        for column, (_name, width) in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
            sheet.cell(row=3, column=column).font = Font(bold=True)
        for number, receipt in enumerate(receipts, start=1):
            person = receipt.person
            sheet.append(
                [
                    number,
                    person.name,
                    receipt.branch.name if receipt.branch else "—",
                    person.get_status_display(),
                    person.masked_phone,
                    yes if person.user_id else no,
                ]
            )
        sheet.freeze_panes = "A4"
    return workbook


def _title(notice: Notice) -> str:
    if notice.is_important:
        return f"[{gettext_lazy('Important')}] {notice.title}"
    return notice.title


# The list of notices sent (rows from `selectors.sent_by`, with receipt counts).
SENT_COLUMNS = (
    Column(gettext_lazy("Published"), lambda n: n.published_at or "—"),
    Column(gettext_lazy("Title"), _title, width=40),
    Column(gettext_lazy("Status"), lambda n: n.get_status_display()),
    Column(gettext_lazy("Read"), lambda n: "—" if n.is_draft else f"{n.read}/{n.addressed}",
           numeric=True),
    Column(gettext_lazy("Read rate"), lambda n: n.read / n.addressed if n.addressed else None,
           numeric=True, number_format="0%"),
)
