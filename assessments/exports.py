"""The year's standards results as an Excel workbook.

Headers are in Chinese on purpose: the results are filed with the higher
organisation in the form it expects, whatever the language of the exporting page.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from supplychain_party.exports import Column

from .models import AppraisalEntry, AppraisalGrade, AssessmentState, BranchAssessment, Grade

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


def _member(entry: AppraisalEntry) -> str:
    if entry.needs_follow_up:
        return f"{entry.person.name}（{gettext_lazy('Follow-up due')}）"
    return entry.person.name


def _votes(header, field: str) -> Column:
    return Column(header, lambda entry: getattr(entry, field), numeric=True)


# A branch's democratic appraisal (rows from `selectors.appraisal_entries`).
APPRAISAL_COLUMNS = (
    Column(gettext_lazy("Member"), _member),
    Column(gettext_lazy("Self-assessment"), lambda e: e.self_assessment or "—", width=50),
    _votes(gettext_lazy("Excellent"), "votes_excellent"),
    _votes(gettext_lazy("Qualified"), "votes_qualified"),
    _votes(gettext_lazy("Basically qualified"), "votes_basic"),
    _votes(gettext_lazy("Unqualified"), "votes_unqualified"),
    _votes(gettext_lazy("Votes cast online"), "vote_count"),
    Column(gettext_lazy("Committee's proposal"), lambda e: e.get_proposed_grade_display() or "—"),
    Column(gettext_lazy("Branch meeting's decision"),
           lambda e: e.get_decided_grade_display() or "—"),
)


def _count(index: int):
    return lambda row: row["counts"][index]


# The appraisal tally over a subtree (rows from `selectors.tally_row`), a column a grade.
TALLY_COLUMNS = (
    Column(gettext_lazy("Branch"), lambda row: row["appraisal"].branch.name),
    Column(gettext_lazy("State"), lambda row: row["appraisal"].get_state_display()),
    Column(gettext_lazy("Members"), lambda row: row["members"], numeric=True),
    *(Column(label, _count(index), numeric=True)
      for index, (_value, label) in enumerate(AppraisalGrade.choices)),
)
