"""What the roster import tests share: the sheet's rows, uploading and confirming."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from members.imports.sheet import HEADERS
from members.models import Membership, Person, Post, RosterImport

URL = "/people/import/"
BRANCH = "采购合同党支部"
OTHER_BRANCH = "仓储配送党支部"


def row(no, name, **cells) -> tuple:
    """A sheet row by column; the defaults make a valid full member of 采购合同党支部."""
    values = {
        "工号": no,
        "姓名": name,
        "性别": "男",
        "联系电话": "13900001111",
        "部门": "合同管理部",
        "政治面貌": "正式党员",
        "所在支部": BRANCH,
        "党小组": "",
        "入党日期": "2015-07-01",
        "转正日期": "2016-07-01",
        "加入支部日期": "2024-03-01",
        "党内职务": "",
        "任职日期": "",
    }
    for header, value in cells.items():
        assert header in values, header
        values[header] = value
    return tuple(values[header] for header in HEADERS)


def kw(**cells) -> dict:
    """row(..., 党内职务="组织委员"): Chinese headers as keyword arguments."""
    return cells


GOOD = [
    row("WZ9001", "新同志", 党内职务="组织委员", 任职日期="2024-04-01"),
    row("WZ9002", "新群众", 政治面貌="群众", 入党日期="", 转正日期="", 性别="女"),
    row(
        "WZ9003",
        "新党员",
        政治面貌="预备党员",
        党小组="第一党小组",
        转正日期="",
        联系电话="010-12345678",
    ),
]


def xlsx(rows, *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["党员花名册"])
    if headers:
        sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, *, name="花名册.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def upload_and_confirm(client, rows):
    response = upload(client, xlsx(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = RosterImport.objects.latest("pk")
    return client.post(f"{URL}{batch.pk}/confirm/", follow=True), batch


def register() -> tuple:
    """Everything the import may write, with its history."""
    return (
        Person.objects.count(),
        Membership.objects.count(),
        Post.objects.count(),
        Person.history.count(),
        Membership.history.count(),
        Post.history.count(),
    )
