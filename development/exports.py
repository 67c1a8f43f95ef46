"""The development pipeline as an Excel workbook (发展党员工作台账): the columns of the
pipeline page, headers in Chinese (the sheet is filed in the form the higher committee
expects), whatever language the user's page is in."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation


def _headers() -> list[tuple[str, int]]:
    return [
        (_("No."), 6),
        (_("Name"), 10),
        (_("Branch"), 18),
        (_("Stage"), 14),
        (_("Application received"), 14),
        (_("Named activist on"), 14),
        (_("Named development candidate on"), 14),
        (_("Admitted on"), 14),
        (_("Next step"), 24),
        (_("Due by"), 12),
        (_("Overdue"), 8),
    ]


def pipeline_workbook(*, organisation: Organisation, stages) -> Workbook:
    """`stages` as `selectors.pipeline()` returns them (rows carry `.next`)."""
    with translation.override("zh-hans"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Development pipeline")[:31]
        sheet.append([_("%(org)s member development ledger") % {"org": organisation.name}])
        sheet["A1"].font = Font(bold=True, size=14)
        headers = _headers()
        sheet.append([name for name, _width in headers])
        for column, (_name, width) in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
            sheet.cell(row=2, column=column).font = Font(bold=True)
        sheet.freeze_panes = "A3"
        n = 0
        for stage, rows in stages:
            for c in rows:
                n += 1
                step = c.next
                sheet.append(
                    [
                        n,
                        c.person.name,
                        c.branch.name,
                        str(stage.label),
                        c.applied_on,
                        c.activist_on,
                        c.candidate_on,
                        c.admitted_on,
                        step.label if step else "",
                        step.due if step else None,
                        _("Yes") if step and step.overdue else "",
                    ]
                )
        for row in sheet.iter_rows(min_row=3):
            for cell in row[4:8] + row[9:10]:
                cell.number_format = "yyyy-mm-dd"
    return workbook
