"""The branch's monthly dues ledger (党费收缴台账) as an Excel workbook.

Headers are in Chinese on purpose, as in the other ledgers: the sheet is filed with the
higher organisation in the form it expects, whatever the language of the page that
exported it. Columns are the page's, rows the page's after its filters.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from supplychain_party.exports import Column

from .models import Category, Payment
from .selectors import LedgerRow, Totals

HEADERS = [
    ("序号", 6),
    ("姓名", 10),
    ("政治面貌", 10),
    ("类别", 12),
    ("缴费基数（元）", 14),
    ("缴纳比例/标准", 14),
    ("应缴（元）", 11),
    ("实缴（元）", 11),
    ("差额（元）", 11),
    ("缴纳方式", 10),
    ("缴纳日期", 12),
    ("欠缴月数", 9),
    ("欠缴金额（元）", 14),
    ("备注", 20),
]
CATEGORY_NAMES = {
    Category.WORKING: "在职党员",
    Category.RETIRED: "离退休党员",
    Category.STUDENT: "学生党员",
    Category.LOW_INCOME: "生活困难党员",
}
METHOD_NAMES = {
    Payment.Method.CASH: "现金",
    Payment.Method.TRANSFER: "银行转账",
    Payment.Method.WECHAT: "微信支付",
    Payment.Method.PAYROLL: "工资代扣",
}
STATUS_NOTES = {
    "not_owed": "本月无需缴纳",
    "no_declaration": "未申报缴费基数",
    "no_rule": "无适用的党费标准",
}
STATUS_NAMES = {"probationary": "预备党员", "full": "正式党员"}
MONEY = "#,##0.00"


def _rate(due) -> str:
    if due.fixed:
        return f"每月{due.amount}元"
    return f"{due.rate.normalize():f}%"


def ledger_workbook(
    *, organisation: Organisation, month: datetime.date, rows: Iterable[LedgerRow]
) -> Workbook:
    """One sheet: a title row, the headers, one row per member, a total row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y年%m月}党费收缴台账"
    sheet.append([f"{organisation.name} {month:%Y年%m月} 党费收缴台账"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([name for name, _ in HEADERS])
    for column, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    due = paid = arrears = 0
    number = 0
    for number, row in enumerate(rows, start=1):
        line = row.line
        declaration = line.declaration if line else None
        entry = row.last_entry
        sheet.append(
            [
                number,
                row.person.name,
                STATUS_NAMES.get(row.person.status, row.person.status),
                CATEGORY_NAMES.get(declaration.category, "") if declaration else "",
                line.due.base if line and line.due and line.due.base is not None else None,
                _rate(line.due) if line and line.due else "",
                row.due,
                row.paid,
                row.balance,
                METHOD_NAMES.get(entry.method, entry.method) if entry else "",
                entry.paid_on if entry else None,
                row.arrears_months,
                row.arrears_amount,
                STATUS_NOTES.get(row.status, ""),
            ]
        )
        current = sheet.max_row
        for column in (5, 7, 8, 9, 13):
            sheet.cell(row=current, column=column).number_format = MONEY
        sheet.cell(row=current, column=11).number_format = "yyyy-mm-dd"
        due += row.due
        paid += row.paid
        arrears += row.arrears_amount
    sheet.append(
        ["合计", f"{number}人", "", "", None, "", due, paid, due - paid, "", None, "", arrears, ""]
    )
    total_row = sheet.max_row
    for column in (7, 8, 9, 13):
        sheet.cell(row=total_row, column=column).number_format = MONEY
        sheet.cell(row=total_row, column=column).font = Font(bold=True)
    sheet.freeze_panes = "A3"
    return workbook


# The arrears page's columns (without its "record payment" button) and its export.
ARREARS_COLUMNS = (
    Column(gettext_lazy("Member"), lambda row: row.person.name),
    Column(gettext_lazy("Branch"), lambda row: row.person.branch.name),
    Column(gettext_lazy("Months in arrears"), lambda row: row.arrears_months, numeric=True),
    Column(
        gettext_lazy("Months owed"),
        lambda row: "、".join(f"{line.month:%Y-%m}" for line in row.arrears),
        width=30,
    ),
    Column(gettext_lazy("Amount owed (yuan)"), lambda row: row.arrears_amount, numeric=True,
           number_format=MONEY),
)


def _money(header, value) -> Column:
    return Column(header, value, numeric=True, number_format=MONEY)


# The totals page's columns and its export; rows are `Totals`, one per child.
TOTALS_COLUMNS = (
    Column(gettext_lazy("Organisation"), lambda t: t.organisation.name),
    Column(gettext_lazy("Party members"), lambda t: t.members, numeric=True),
    Column(gettext_lazy("Paid in full"), lambda t: f"{t.paid_members} / {t.owing_members}",
           numeric=True),
    _money(gettext_lazy("Due (yuan)"), lambda t: t.due),
    _money(gettext_lazy("Collected (yuan)"), lambda t: t.paid),
    _money(gettext_lazy("Outstanding (yuan)"), lambda t: t.outstanding),
    Column(gettext_lazy("Members with arrears"), lambda t: t.arrears_members, numeric=True),
    _money(gettext_lazy("Arrears (yuan)"), lambda t: t.arrears_amount),
    Column(gettext_lazy("Not declared"), lambda t: t.undeclared, numeric=True),
)


def totals_footer(overall: Totals) -> list[list]:
    """The totals page's footer row: the whole subtree, named "Total"."""
    return [[gettext_lazy("Total"), *(column.value(overall) for column in TOTALS_COLUMNS[1:])]]
