"""Excel workbooks: the visit tracking sheet (党员走访谈心记录跟踪表) and the problem
ledger (问题挂号销账台账). Headers are in Chinese on purpose: the sheets are filed
with the higher organisation in the form it expects."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from supplychain_party.exports import Column

from .models import Opinion, Problem, ProblemState, Visit

VISIT_HEADERS = [
    ("序号", 6), ("走访日期", 12), ("党员", 10), ("走访对象", 10), ("走访方式", 12),
    ("谈心内容", 40), ("意见建议", 40), ("所在支部", 18), ("审阅人", 10), ("审阅时间", 16),
]
METHOD_NAMES = {
    Visit.Method.FORUM: "座谈会",
    Visit.Method.ONE_TO_ONE: "个别谈心",
    Visit.Method.PHONE: "电话",
}

PROBLEM_HEADERS = [
    ("序号", 6), ("登记日期", 12), ("问题", 30), ("问题类别", 10), ("提出人", 10),
    ("责任单位", 18), ("责任人", 10), ("完成时限", 12), ("状态", 10), ("解决情况", 30),
    ("反馈方式", 10), ("反馈时间", 12), ("是否满意", 8), ("销号时间", 12), ("督办层级", 8),
]
STATE_NAMES = {
    ProblemState.REGISTERED: "已挂号",
    ProblemState.IN_PROGRESS: "整改中",
    ProblemState.RESOLVED: "已解决",
    ProblemState.FEEDBACK_GIVEN: "已反馈",
    ProblemState.WRITTEN_OFF: "已销号",
}
FEEDBACK_NAMES = {
    Problem.FeedbackMethod.PHONE: "电话",
    Problem.FeedbackMethod.VISIT: "当面",
    Problem.FeedbackMethod.MEETING: "会议",
    Problem.FeedbackMethod.WRITTEN: "书面",
}


def _sheet(workbook: Workbook, title: str, heading: str, headers) -> object:
    sheet = workbook.active
    sheet.title = title
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([name for name, _ in headers])
    for column, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    sheet.freeze_panes = "A3"
    return sheet


def _date(value):
    return timezone.localtime(value).date() if value else None


def visits_workbook(*, organisation: Organisation, visits: Iterable[Visit]) -> Workbook:
    """One row per visit (with `opinions` prefetched)."""
    workbook = Workbook()
    sheet = _sheet(workbook, "走访谈心记录", f"{organisation.name} 党员走访谈心记录跟踪表",
                   VISIT_HEADERS)
    for number, visit in enumerate(visits, start=1):
        sheet.append([
            number, visit.visited_on, visit.visitor.name, visit.visited.name,
            METHOD_NAMES.get(visit.method, visit.method), visit.discussion,
            "\n".join(o.text for o in visit.opinions.all()), visit.organisation.name,
            visit.reviewed_by.name if visit.reviewed_by else "",
            timezone.localtime(visit.reviewed_at).strftime("%Y-%m-%d %H:%M")
            if visit.reviewed_at else "",
        ])
        row = sheet.max_row
        sheet.cell(row=row, column=2).number_format = "yyyy-mm-dd"
        for column in (6, 7):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
    return workbook


def problems_workbook(*, organisation: Organisation, problems: Iterable[Problem]) -> Workbook:
    workbook = Workbook()
    sheet = _sheet(workbook, "问题挂号销账台账", f"{organisation.name} 问题挂号销账台账",
                   PROBLEM_HEADERS)
    for number, problem in enumerate(problems, start=1):
        satisfied = {True: "满意", False: "不满意"}.get(problem.satisfied, "")
        sheet.append([
            number, _date(problem.registered_at), problem.title, problem.category.name,
            problem.raised_by.name, problem.organisation.name, problem.owner.name,
            problem.deadline, STATE_NAMES.get(problem.state, problem.state), problem.resolution,
            FEEDBACK_NAMES.get(problem.feedback_method, ""), _date(problem.feedback_at),
            satisfied, _date(problem.written_off_at), problem.escalation_level or "",
        ])
        row = sheet.max_row
        for column in (2, 8, 12, 14):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        for column in (3, 10):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
    return workbook


def _opinion_source(opinion: Opinion) -> str:
    source = opinion.get_source_display()
    if opinion.campaign:
        return f"{source} · {opinion.campaign.title}"
    if opinion.visit:
        return f"{source} · {opinion.visit.visitor.name}"
    return source


def _opinion_problem(opinion: Opinion) -> str:
    # A reverse one-to-one: reading it raises when the opinion was never registered.
    problem = getattr(opinion, "problem", None)
    return problem.get_state_display() if problem else gettext_lazy("Not yet registered")


# The opinion list's columns (its page and its export).
OPINION_COLUMNS = (
    Column(gettext_lazy("Date"), lambda o: o.raised_on),
    Column(gettext_lazy("Opinion"), lambda o: o.text, width=50),
    Column(gettext_lazy("Raised by"), lambda o: o.raised_by.name),
    Column(gettext_lazy("Source"), _opinion_source),
    Column(gettext_lazy("Problem"), _opinion_problem),
)


# The campaign list's columns (its page and its export); rows from `campaigns_for_list`.
CAMPAIGN_COLUMNS = (
    Column(gettext_lazy("Campaign"), lambda c: c.title, width=36),
    Column(gettext_lazy("Organisation"), lambda c: c.organisation.name),
    Column(gettext_lazy("Period"), lambda c: f"{c.starts_on:%Y-%m-%d} – {c.ends_on:%Y-%m-%d}"),
    Column(gettext_lazy("Opinions"), lambda c: c.opinion_count, numeric=True),
)
