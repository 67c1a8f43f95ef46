"""The year's standards results as an Excel workbook.

Headers are in Chinese on purpose: the results are filed with the higher
organisation in the form it expects, whatever the language of the exporting page.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import AssessmentState, BranchAssessment, Grade

HEADERS = [("序号", 6), ("年度", 8), ("上级党组织", 18), ("党支部", 20), ("状态", 12),
           ("总分", 9), ("等级", 9), ("提交时间", 18), ("审定时间", 18), ("审核意见", 40)]
STATE_NAMES = {
    AssessmentState.DRAFT: "草稿", AssessmentState.SUBMITTED: "已提交",
    AssessmentState.REVIEWED: "党总支已审核", AssessmentState.RETURNED: "已退回",
    AssessmentState.APPROVED: "已审定",
}
GRADE_NAMES = {Grade.EXCELLENT: "优秀", Grade.STANDARD: "达标", Grade.SUBSTANDARD: "不达标"}


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def results_workbook(assessments: Iterable[BranchAssessment]) -> bytes:
    """One row per assessment (annotated with `parent_name` by the admin's queryset)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "支部达标考核结果"
    for column, (title, width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for n, assessment in enumerate(assessments, start=1):
        sheet.append([
            n, assessment.scheme.year, getattr(assessment, "parent_name", "") or "",
            assessment.branch.name, STATE_NAMES.get(assessment.state, assessment.state),
            float(assessment.total) if assessment.total is not None else None,
            GRADE_NAMES.get(assessment.grade, ""), _when(assessment.submitted_at),
            _when(assessment.decided_at), assessment.last_comment,
        ])
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
