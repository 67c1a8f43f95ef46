"""What the ledger export tests share: a frozen clock, and reading a page's headings
and a workbook's rows as a user would."""

import datetime
import html
import re
import zoneinfo
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from supplychain_party.exports import XLSX

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 20, 10, tzinfo=SH)
TODAY = NOW.date()
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def frozen(world):
    """Chinese pages (the default language) on a fixed day; adding organisations in
    name order moves siblings' paths, so they are reloaded."""
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        yield


# --- What a user sees: the page's headings, the file's rows ---------------------------


def headings(page, table: int = 0) -> list[str]:
    """The column headings of the page's `table`-th table, as the user reads them
    (an action column without a heading left out)."""
    assert page.status_code == 200
    thead = re.findall(r"<thead>(.*?)</thead>", page.content.decode(), re.S)[table]
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)
    ]
    return [cell for cell in cells if cell]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return load_workbook(BytesIO(response.content)).active


def header_of(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def column(sheet, heading: str) -> list:
    index = header_of(sheet).index(heading)
    return [row[index] for row in rows_of(sheet)]


def same_columns(client, page_url: str, export_url: str, *, table: int = 0, drop=()):
    """The export's header row is the page's headings, in Chinese, bold and frozen."""
    page = headings(client.get(page_url), table)
    sheet = sheet_of(client.get(export_url))
    header = header_of(sheet)
    assert header == [h for h in page if h not in drop]
    assert all(CJK.search(h) for h in header), header
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    return sheet


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def refused(login, url: str, *personas: str) -> None:
    for persona in personas:
        assert login(persona).get(url).status_code in (403, 404), persona
