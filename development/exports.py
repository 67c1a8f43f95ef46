"""The development pipeline as an Excel workbook (发展党员工作台账): the columns of the
pipeline page, headers in Chinese (the sheet is filed in the form the higher committee
expects), whatever language the user's page is in."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from supplychain_party.exports import Column

from .models import MentorPair


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


def _period(pair: MentorPair) -> str:
    ended = f"{pair.ended_on:%Y-%m-%d}" if pair.ended_on else gettext_lazy("ongoing")
    return f"{pair.started_on:%Y-%m-%d} – {ended}"


# The two-way mentoring list's columns (its page and its export).
MENTORING_COLUMNS = (
    Column(gettext_lazy("Mentor"), lambda p: p.mentor.name),
    Column(gettext_lazy("Mentee"), lambda p: p.mentee.name),
    Column(gettext_lazy("Kind"), lambda p: p.get_kind_display()),
    Column(gettext_lazy("Goals"), lambda p: p.goals, width=40),
    Column(gettext_lazy("Period"), _period),
    Column(gettext_lazy("Outcome"), lambda p: p.outcome if p.ended_on else "", width=30),
)
