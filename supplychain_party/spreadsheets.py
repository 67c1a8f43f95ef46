"""What the portal's Excel imports share: reading an uploaded workbook into rows under
fixed headers, row-level errors, cell values as text and dates, and the titled sheet to
fill in with its drop-downs. (Exports and the download response: `exports`.)

Each import (the roster, the weekly supply status sheet) keeps its own columns and
rules; this module knows nothing about them. Messages are in the user's language; the
sheets' headers are the company's fixed Chinese words.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class RowError:
    """One problem in one cell: the row number as Excel shows it and the column header."""

    row: int
    column: str
    message: str


class SheetRefused(Exception):
    """The file as a whole cannot be read as the expected sheet (empty, not .xlsx, wrong
    headers, no rows): one message, no rows."""


def cell_text(value) -> str:
    """A cell as the text a person reads in it: 1001.0 (a number cell) is "1001"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_date(value) -> datetime.date | None:
    """A date cell, or text such as 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日;
    None when blank. Raises ValueError for anything else (a bare number included: it
    is a date only when Excel formats it as one, and then openpyxl reads a date)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        match = _DATE.match(text)
        if match is None:
            raise ValueError(text)
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if value is None:
        return None
    raise ValueError(value)


def open_workbook(content: bytes):
    """The workbook, read-only; SheetRefused when the bytes are not an .xlsx workbook."""
    if not content:
        raise SheetRefused(_("The file is empty."))
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise SheetRefused(
            _("The file is not an Excel workbook (.xlsx). Download the template and fill it in.")
        ) from None


def read_table(
    content: bytes, *, headers: Sequence[str], max_rows: int, no_rows: str
) -> list[tuple[int, tuple]]:
    """The first worksheet's data rows under `headers`, as (row number as Excel shows
    it, cell values); blank rows skipped. The header row may have a title above it.

    Raises SheetRefused when the file is not a workbook, is empty, lacks the header row,
    has other columns, has more than `max_rows` rows, or has no data row (`no_rows` is
    that message)."""
    workbook = open_workbook(content)
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise SheetRefused(_("The file is empty."))
        rows = []
        for values in worksheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) > max_rows + 5:
                raise SheetRefused(_("The sheet has more than %(n)d rows.") % {"n": max_rows})
    finally:
        workbook.close()
    if not any(cell_text(value) for values in rows for value in values):
        raise SheetRefused(_("The file is empty."))
    header_index = next(
        (i for i, values in enumerate(rows[:5]) if headers[0] in map(cell_text, values)), None
    )
    if header_index is None:
        raise SheetRefused(
            _("The sheet has no header row. Expected the columns: %(headers)s.")
            % {"headers": "、".join(headers)}
        )
    found = [cell_text(value) for value in rows[header_index]]
    while found and not found[-1]:
        found.pop()
    if tuple(found) != tuple(headers):
        raise SheetRefused(
            _(
                "The columns are not those of the template. Expected: %(expected)s; found: "
                "%(found)s."
            )
            % {"expected": "、".join(headers), "found": "、".join(found) or "—"}
        )
    table = [
        (index + 1, tuple(values))
        for index, values in enumerate(rows)
        if index > header_index and any(cell_text(value) for value in values)
    ]
    if not table:
        raise SheetRefused(no_rows)
    return table


def titled_sheet(
    workbook: Workbook,
    *,
    name: str,
    heading: str,
    headers: Sequence[str],
    widths: Sequence[int],
) -> Worksheet:
    """The workbook's first sheet with a bold heading in row 1, the headers in row 2
    and the panes frozen below them: the layout of every sheet the portal hands out."""
    sheet = workbook.active
    sheet.title = name[:31]  # Excel's limit on a sheet name
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headers))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    sheet.freeze_panes = "A3"
    return sheet


def add_drop_down(sheet: Worksheet, column: int, words: Iterable[str], *, rows: int) -> None:
    """Offer `words` in a drop-down on the data rows of `column` (1-based)."""
    letter = get_column_letter(column)
    validation = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
    validation.add(f"{letter}3:{letter}{rows}")
    sheet.add_data_validation(validation)
