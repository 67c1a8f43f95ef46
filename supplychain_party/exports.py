"""Ledger (台账) exports shared by every app: a list page as an Excel workbook.

A page defines its columns once, as `Column`s (a translated heading and how to read
the value off a row); the page's table head and its export both use them, so the file
has the page's columns, headed in the active language (Chinese by default). The view
hands over the queryset the page shows, after its filters and scope: the export is
the page, unpaginated.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Widths in Excel's units (about one Latin character); a CJK character takes two.
MIN_WIDTH, MAX_WIDTH = 6, 60
# Characters Excel refuses in a sheet title, and in a file name on Windows.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r'[\\/:*?"<>|\r\n]')


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its heading (a lazy translation) and its value per row.

    `numeric` right-aligns the column on the page; `width` overrides the width worked
    out from the contents; `number_format` is Excel's (e.g. "0%" for a share)."""

    header: str | Promise
    value: Callable[[Any], Any]
    numeric: bool = False
    width: int | None = None
    number_format: str | None = None


def _display_width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _cell_value(value: Any) -> Any:
    """What openpyxl writes: dates stay dates, aware datetimes become local wall time
    (Excel has no time zones), lazy translations and objects become text."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | str):
        return value
    return str(value)


def _number_format(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    return None


def _shown(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return "0000-00-00 00:00"
    if isinstance(value, datetime.date):
        return "0000-00-00"
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def ledger_workbook(
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    title: str,
    footer: Sequence[Sequence[Any]] = (),
) -> Workbook:
    """One sheet: a bold, frozen header row, then one row per item of `rows`, then the
    `footer` rows (totals), in bold."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_FORBIDDEN.sub(" ", str(title)).strip()[:31] or "Sheet"
    headers = [str(column.header) for column in columns]
    sheet.append(headers)
    widths = [_display_width(header) for header in headers]
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = [[column.value(row) for column in columns] for row in rows]
    for values in [*lines, *footer]:
        values = [_cell_value(value) for value in values]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _display_width(_shown(value)))
            number_format = _number_format(value)
            if index < len(columns) and columns[index].number_format and value is not None:
                number_format = columns[index].number_format
            if number_format:
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
    for row in sheet.iter_rows(min_row=len(lines) + 2):
        for cell in row:
            cell.font = bold
    for index, column in enumerate(columns, start=1):
        width = column.width or min(max(widths[index - 1] + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return workbook


def as_text(workbook: Workbook) -> Workbook:
    """Every cell that openpyxl took for a formula (text starting with "=") written as
    the text it is: a remark like "=HYPERLINK(...)" typed by a user must not run in the
    reader's Excel (formula injection). No ledger writes a formula of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download. The name is sent RFC 5987-encoded (UTF-8), which every
    current browser reads, so a Chinese file name arrives intact."""
    as_text(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    safe = _FILE_FORBIDDEN.sub("_", filename).strip() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe)}"
    return response


def ledger_response(
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    filename: str,
    title: str | None = None,
    footer: Sequence[Sequence[Any]] = (),
) -> HttpResponse:
    """The rows a list page shows, with its columns, as an .xlsx download named
    `filename` (".xlsx" is added when missing)."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    workbook = ledger_workbook(
        rows, columns, title=title or filename.removesuffix(".xlsx"), footer=footer
    )
    return xlsx_response(workbook, filename)
