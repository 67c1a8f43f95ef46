"""The weekly sheet (重点工程物资采购供应状态跟踪表) as Excel: the blank template, reading an
uploaded sheet into rows and row-level errors, and the board's export.

The sheet's headers are fixed Chinese words on purpose: it is the company's form, the
same whatever language the page is in. Messages about it are in the user's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from supplychain_party.spreadsheets import RowError, SheetRefused, titled_sheet
from supplychain_party.spreadsheets import cell_text as _text
from supplychain_party.spreadsheets import open_workbook as _open

from .models import ContractStage, KeyProject, TenderingStage

TITLE = "重点工程物资采购供应状态跟踪表"
CODE, NAME, PLAN, TENDERING, CONTRACT, ARRIVAL, DELAYED, REMARKS = (
    "项目编号",
    "项目名称",
    "计划分配",
    "招标",
    "合同结算",
    "到货",
    "是否滞后",
    "备注",
)
HEADERS = (CODE, NAME, PLAN, TENDERING, CONTRACT, ARRIVAL, DELAYED, REMARKS)
WIDTHS = (16, 36, 10, 10, 10, 10, 10, 40)

# The words the sheet uses for each state (the company's form is in Chinese).
TENDERING_WORDS = {
    TenderingStage.NOT_STARTED: "未招标",
    TenderingStage.IN_PROGRESS: "招标中",
    TenderingStage.AWARDED: "已定标",
}
CONTRACT_WORDS = {
    ContractStage.NOT_SIGNED: "未签订",
    ContractStage.SIGNED: "已签订",
    ContractStage.SETTLING: "结算中",
    ContractStage.SETTLED: "已结算",
}
YES_WORDS = {"是", "y", "yes", "true", "1", "滞后"}
NO_WORDS = {"", "否", "n", "no", "false", "0"}
REMARKS_MAX = 500
MAX_ROWS = 2000


@dataclass
class SheetRow:
    row: int
    code: str
    name: str
    values: dict
    project: KeyProject | None = None
    action: str = ""  # "created", "updated" or "unchanged", set by the preview

    @property
    def tendering_label(self) -> str:
        value = self.values.get("tendering")
        return TenderingStage(value).label if value else ""

    @property
    def contract_label(self) -> str:
        value = self.values.get("contract")
        return ContractStage(value).label if value else ""


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _percent(value, number_format: str) -> int:
    """85, "85", "85%", or 0.85 in a cell formatted as a percentage -> 85."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if "%" in (number_format or ""):
            number *= 100
    else:
        text = _text(value).replace("％", "%")
        if not text:
            raise ValueError
        number = Decimal(text.removesuffix("%").strip())
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise ValueError
    return int(number)


def _choice(value, words: dict) -> str:
    text = _text(value)
    for code, word in words.items():
        if text in (word, code, str(code.label)) or text.lower() == code.value:
            return code.value
    raise ValueError


def _cell(row, index: int):
    if index < len(row):
        cell = row[index]
        return cell.value, getattr(cell, "number_format", "") or ""
    return None, ""


def _header_row(rows: list) -> int:
    """The index of the header row (the template has a title above it)."""
    for index, row in enumerate(rows[:5]):
        if any(_text(cell.value) == CODE for cell in row):
            return index
    raise SheetRefused(
        _("The sheet has no header row. Expected the columns: %(headers)s.")
        % {"headers": "、".join(HEADERS)}
    )


def read_sheet(content: bytes) -> Sheet:
    """Parse the weekly sheet into rows and row-level errors (row number as Excel shows
    it, column header, message). Raises SheetRefused when the file as a whole is wrong."""
    workbook = _open(content)
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise SheetRefused(_("The file is empty."))
        rows = []
        for row in worksheet.iter_rows():
            rows.append(row)
            if len(rows) > MAX_ROWS + 5:
                raise SheetRefused(_("The sheet has more than %(n)d rows.") % {"n": MAX_ROWS})
    finally:
        workbook.close()
    if not any(_text(cell.value) for row in rows for cell in row):
        raise SheetRefused(_("The file is empty."))
    header_index = _header_row(rows)
    found = [_text(cell.value) for cell in rows[header_index]]
    while found and not found[-1]:
        found.pop()
    if tuple(found) != HEADERS:
        raise SheetRefused(
            _(
                "The columns are not those of the weekly sheet. Expected: %(expected)s; found: "
                "%(found)s."
            )
            % {"expected": "、".join(HEADERS), "found": "、".join(found) or "—"}
        )
    sheet = Sheet()
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(_text(cell.value) for cell in row):
            continue
        sheet.rows.append(_read_row(row, index + 1, sheet.errors))
    if not sheet.rows:
        raise SheetRefused(_("The sheet has no project rows."))
    return sheet


def _read_row(row, number: int, errors: list[RowError]) -> SheetRow:
    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    code = _text(_cell(row, 0)[0])
    if not code:
        error(CODE, _("The project code is missing."))
    values = {}
    for column, index, key in ((PLAN, 2, "plan_allocation"), (ARRIVAL, 5, "arrival")):
        value, number_format = _cell(row, index)
        try:
            values[key] = _percent(value, number_format)
        except (ValueError, InvalidOperation):
            error(
                column,
                _("“%(value)s” is not a whole percentage from 0 to 100 (e.g. 85 or 85%%).")
                % {"value": _text(value)},
            )
    for column, index, key, words in (
        (TENDERING, 3, "tendering", TENDERING_WORDS),
        (CONTRACT, 4, "contract", CONTRACT_WORDS),
    ):
        value = _cell(row, index)[0]
        try:
            values[key] = _choice(value, words)
        except ValueError:
            error(
                column,
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": _text(value), "allowed": "、".join(words.values())},
            )
    delayed = _text(_cell(row, 6)[0]).lower()
    if delayed in YES_WORDS:
        values["is_delayed"] = True
    elif delayed in NO_WORDS:
        values["is_delayed"] = False
    else:
        error(DELAYED, _("“%(value)s” is neither 是 nor 否.") % {"value": delayed})
    remarks = _text(_cell(row, 7)[0])
    if len(remarks) > REMARKS_MAX:
        error(REMARKS, _("The remarks are longer than %(n)d characters.") % {"n": REMARKS_MAX})
    values["remarks"] = remarks[:REMARKS_MAX]
    return SheetRow(row=number, code=code, name=_text(_cell(row, 1)[0]), values=values)


def _sheet(workbook: Workbook, heading: str, headers, widths):
    return titled_sheet(workbook, name=TITLE, heading=heading, headers=headers, widths=widths)


def template_workbook(*, week: datetime.date, projects, statuses: dict) -> Workbook:
    """The weekly sheet to fill in: every active project, prefilled with its latest
    status (so the team changes only what moved), with drop-downs for the states."""
    workbook = Workbook()
    sheet = _sheet(workbook, f"{TITLE}（{week.isoformat()} 当周）", HEADERS, WIDTHS)
    for project in projects:
        status = statuses.get(project.pk)
        if status is None:
            sheet.append(
                [
                    project.code,
                    project.name,
                    0,
                    TENDERING_WORDS[TenderingStage.NOT_STARTED],
                    CONTRACT_WORDS[ContractStage.NOT_SIGNED],
                    0,
                    "否",
                    "",
                ]
            )
        else:
            sheet.append(
                [
                    project.code,
                    project.name,
                    status.plan_allocation,
                    TENDERING_WORDS[status.tendering],
                    CONTRACT_WORDS[status.contract],
                    status.arrival,
                    "是" if status.is_delayed else "否",
                    status.remarks,
                ]
            )
    last = max(sheet.max_row, 3) + 200
    for column, words in (
        ("D", TENDERING_WORDS.values()),
        ("E", CONTRACT_WORDS.values()),
        ("G", ("是", "否")),
    ):
        validation = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
        validation.add(f"{column}3:{column}{last}")
        sheet.add_data_validation(validation)
    for column in ("C", "F"):
        validation = DataValidation(
            type="whole", operator="between", formula1="0", formula2="100", allow_blank=False
        )
        validation.add(f"{column}3:{column}{last}")
        sheet.add_data_validation(validation)
    return workbook


BOARD_HEADERS = (
    "项目编号",
    "项目名称",
    "建设单位",
    "计划分配",
    "招标",
    "合同结算",
    "到货",
    "是否滞后",
    "较上周",
    "备注",
    "填报人",
    "填报时间",
)
BOARD_WIDTHS = (16, 36, 20, 10, 10, 10, 10, 10, 16, 40, 10, 18)


def board_workbook(*, week: datetime.date, rows) -> Workbook:
    """The board of one week, with the page's columns (rows from `selectors.board_rows`)."""
    workbook = Workbook()
    sheet = _sheet(workbook, f"{TITLE}（{week.isoformat()} 当周）", BOARD_HEADERS, BOARD_WIDTHS)
    for row in rows:
        status = row.status
        project = row.project
        if status is None:
            blank = ["", "", "", "", ""]
            sheet.append(
                [
                    project.code,
                    project.name,
                    project.project_unit,
                    *blank,
                    row.change_words,
                    "",
                    "",
                    "",
                ]
            )
            continue
        sheet.append(
            [
                project.code,
                project.name,
                project.project_unit,
                f"{status.plan_allocation}%",
                TENDERING_WORDS[status.tendering],
                CONTRACT_WORDS[status.contract],
                f"{status.arrival}%",
                "是" if status.is_delayed else "否",
                row.change_words,
                status.remarks,
                row.entered_by_name,
                timezone.localtime(status.entered_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return workbook


LOG_HEADERS = (
    "序号",
    "服务日期",
    "服务类型",
    "服务单位",
    "单位类型",
    "参加队员",
    "服务内容",
    "服务成效",
    "后续跟进",
    "记录人",
)
LOG_WIDTHS = (6, 12, 12, 28, 10, 20, 40, 30, 24, 10)


def log_workbook(*, team, records) -> Workbook:
    """The team's service log (服务台账), rows as the page lists them (filters applied);
    `records` with `members` prefetched and `recorded_by` selected."""
    workbook = Workbook()
    sheet = _sheet(workbook, f"{team.name} 服务台账", LOG_HEADERS, LOG_WIDTHS)
    sheet.title = "服务台账"
    for number, record in enumerate(records, start=1):
        sheet.append(
            [
                number,
                record.served_on,
                record.get_kind_display(),
                record.unit_name,
                record.get_unit_kind_display(),
                "、".join(p.name for p in record.members.all()),
                record.work_done,
                record.outcome,
                record.follow_up,
                record.recorded_by.name if record.recorded_by else "",
            ]
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    return workbook
