"""The weekly sheet's import: upload -> preview with row-level errors -> confirm, all
rows or none, idempotent, validated again at confirmation. Also the shared fixtures of
the service team tests (a team under the general branch, key projects, sheet bytes)."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from serviceteam.models import ImportBatch, KeyProject, TeamMember, WeeklyStatus, week_start
from serviceteam.services import service_team_create, team_member_add, weekly_status_record
from serviceteam.sheets import HEADERS

URL = "/serviceteam/import/"


def this_week() -> datetime.date:
    return week_start(timezone.localdate())


@pytest.fixture(autouse=True)
def english(settings):
    # Messages are matched in English, the source language, whatever the catalogue says.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def team(world):
    """采购供应党总支's service team; 张党员 (`member`) is its captain."""
    team = service_team_create(name="服务队", organisation=world.general)
    team_member_add(
        team=team,
        person=world.member,
        role=TeamMember.Role.CAPTAIN,
        joined_on=datetime.date(2025, 1, 1),
    )
    return team


@pytest.fixture
def projects(db):
    return [
        KeyProject.objects.create(
            code=f"P-{n}", name=f"110千伏工程{n}", project_unit=f"供电公司{n}"
        )
        for n in range(1, 4)
    ]


def values(
    plan=50, tendering="in_progress", contract="not_signed", arrival=0, delayed=False, remarks=""
):
    return {
        "plan_allocation": plan,
        "tendering": tendering,
        "contract": contract,
        "arrival": arrival,
        "is_delayed": delayed,
        "remarks": remarks,
    }


def xlsx(rows, *, headers=HEADERS, title=True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["重点工程物资采购供应状态跟踪表"])
    if headers:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ("P-1", "110千伏工程1", 100, "已定标", "已签订", "20%", "否", "首批到货"),
    ("P-2", "110千伏工程2", "85%", "招标中", "未签订", 0, "", ""),
    ("P-3", "110千伏工程3", 30, "未招标", "未签订", 0, "是", "需求计划待批复"),
]


def upload(client, content: bytes, *, name="周报.xlsx", week=None, reason=""):
    file = BytesIO(content)
    file.name = name
    return client.post(
        URL, {"file": file, "week": (week or this_week()).isoformat(), "reason": reason}
    )


def upload_and_confirm(client, rows, **kwargs):
    response = upload(client, xlsx(rows), **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    return client.post(f"{URL}{batch.pk}/confirm/"), batch


def history_rows() -> int:
    return WeeklyStatus.history.count()


def test_it_imports_the_weekly_sheet_after_a_preview(team, projects, login):
    client = login("member")
    response = upload(client, xlsx(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    assert response.url == f"{URL}{batch.pk}/"
    assert WeeklyStatus.objects.count() == 0  # the preview saves no status
    preview = client.get(response.url).content.decode()
    assert "Confirm the import" in preview and preview.count("New entry") == 3

    response = client.post(f"{URL}{batch.pk}/confirm/")
    assert response.status_code == 302
    assert response.url == f"/serviceteam/board/?week={this_week().isoformat()}"
    statuses = {s.project.code: s for s in WeeklyStatus.objects.select_related("project")}
    assert statuses["P-1"].values() == values(100, "awarded", "signed", 20, False, "首批到货")
    assert statuses["P-2"].values() == values(85, "in_progress", "not_signed", 0)
    assert statuses["P-3"].values() == values(
        30, "not_started", "not_signed", 0, True, "需求计划待批复"
    )
    assert all(s.week == this_week() for s in statuses.values())
    assert statuses["P-1"].entered_by.username == "member"
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("imported", 3)


def test_it_reads_percentages_in_any_documented_form(team, projects, login):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    sheet.append(["P-1", "", 0.85, "已定标", "已签订", 0.4, "否", ""])
    sheet["C2"].number_format = "0%"
    sheet["F2"].number_format = "0%"
    buffer = BytesIO()
    workbook.save(buffer)
    client = login("member")
    upload(client, buffer.getvalue())
    client.post(f"{URL}{ImportBatch.objects.get().pk}/confirm/")
    status = WeeklyStatus.objects.get()
    assert (status.plan_allocation, status.arrival) == (85, 40)


def test_reimporting_the_same_sheet_changes_nothing(team, projects, login):
    client = login("member")
    upload_and_confirm(client, GOOD_ROWS)
    before = (
        WeeklyStatus.objects.count(),
        history_rows(),
        list(WeeklyStatus.objects.values_list("entered_at", flat=True).order_by("pk")),
    )
    response, batch = upload_and_confirm(client, GOOD_ROWS)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)
    after = (
        WeeklyStatus.objects.count(),
        history_rows(),
        list(WeeklyStatus.objects.values_list("entered_at", flat=True).order_by("pk")),
    )
    assert after == before


def test_a_changed_row_is_corrected_and_the_old_values_kept(team, projects, login):
    client = login("member")
    upload_and_confirm(client, GOOD_ROWS)
    changed = [GOOD_ROWS[0], ("P-2", "", 100, "已定标", "未签订", 0, "", ""), GOOD_ROWS[2]]
    _response, batch = upload_and_confirm(client, changed)
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 2)
    status = WeeklyStatus.objects.get(project__code="P-2")
    assert status.tendering == "awarded"
    assert [h.tendering for h in status.history.order_by("history_date")] == [
        "in_progress",
        "awarded",
    ]


MALFORMED = {
    "unknown project": (
        ("P-9", "", 50, "招标中", "未签订", 0, "", ""),
        "项目编号",
        "No key project has the code P-9.",
    ),
    "percent over 100": (
        ("P-2", "", 120, "招标中", "未签订", 0, "", ""),
        "计划分配",
        "“120” is not a whole percentage from 0 to 100",
    ),
    "percent not a number": (
        ("P-2", "", 50, "招标中", "未签订", "很多", "", ""),
        "到货",
        "“很多” is not a whole percentage",
    ),
    "unknown tendering state": (
        ("P-2", "", 50, "快好了", "未签订", 0, "", ""),
        "招标",
        "“快好了” is not one of: 未招标、招标中、已定标.",
    ),
    "unknown contract state": (
        ("P-2", "", 50, "招标中", "签了", 0, "", ""),
        "合同结算",
        "“签了” is not one of: 未签订、已签订、结算中、已结算.",
    ),
    "bad delayed flag": (
        ("P-2", "", 50, "招标中", "未签订", 0, "也许", ""),
        "是否滞后",
        "“也许” is neither 是 nor 否.",
    ),
    "missing code": (
        ("", "某工程", 50, "招标中", "未签订", 0, "", ""),
        "项目编号",
        "The project code is missing.",
    ),
    "duplicate project": (
        ("P-1", "", 100, "已定标", "已签订", 20, "", ""),
        "项目编号",
        "Project P-1 appears twice in the sheet (first on row 3).",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_row_is_listed_and_nothing_is_imported(case, team, projects, login):
    bad_row, column, message = MALFORMED[case]
    client = login("member")
    before = (WeeklyStatus.objects.count(), history_rows())
    # The bad row comes last (row 6), after three good ones.
    response = upload(client, xlsx([*GOOD_ROWS, bad_row]))
    batch = ImportBatch.objects.get()
    page = client.get(response.url).content.decode()
    assert "nothing will be imported" in page
    assert f"<td>6</td><td>{column}</td><td>{message}" in page
    assert "Confirm the import" not in page
    # Confirming anyway (a forged POST) imports nothing either.
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "Nothing was imported." in response.content.decode()
    assert (WeeklyStatus.objects.count(), history_rows()) == before
    batch.refresh_from_db()
    assert batch.status == "pending"


def test_an_inactive_project_is_an_error(team, projects, login):
    KeyProject.objects.filter(code="P-3").update(is_active=False)
    client = login("member")
    response = upload(client, xlsx(GOOD_ROWS))
    assert "Project P-3 is no longer active." in client.get(response.url).content.decode()


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook.active)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


REFUSED = {
    "empty file": (b"", "The submitted file is empty."),
    "not xlsx content": (b"project,plan\nP-1,50\n", "The file is not an Excel workbook"),
    "wrong headers": (
        xlsx(GOOD_ROWS, headers=("编号", "名称", "计划", "招标", "合同", "到货")),
        "The sheet has no header row. Expected the columns: 项目编号、项目名称",
    ),
    "missing a column": (
        xlsx([r[:6] for r in GOOD_ROWS], headers=HEADERS[:6]),
        "The columns are not those of the weekly sheet. Expected: 项目编号、",
    ),
    "headers but no rows": (xlsx([]), "The sheet has no project rows."),
    "blank workbook": (workbook_bytes(lambda sheet: None), "The file is empty."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_is_not_the_sheet_is_refused_at_upload(case, team, projects, login):
    content, message = REFUSED[case]
    response = upload(login("member"), content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and WeeklyStatus.objects.count() == 0


def test_only_xlsx_files_are_accepted(team, projects, login):
    response = upload(login("member"), xlsx(GOOD_ROWS), name="周报.xls")
    assert "Only Excel workbooks (.xlsx) can be imported" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_confirmation_validates_the_sheet_again(team, projects, login):
    """A project deactivated between preview and confirmation fails the import."""
    client = login("member")
    upload(client, xlsx(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    assert "Confirm the import" in client.get(f"{URL}{batch.pk}/").content.decode()
    KeyProject.objects.filter(code="P-2").update(is_active=False)
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "Row 4, 项目编号: Project P-2 is no longer active." in page
    assert "Nothing was imported." in page
    assert WeeklyStatus.objects.count() == 0


def test_a_batch_is_imported_once(team, projects, login):
    client = login("member")
    _response, batch = upload_and_confirm(client, GOOD_ROWS)
    count = history_rows()
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "already imported or discarded" in response.content.decode()
    assert history_rows() == count


def test_amending_a_past_week_needs_a_reason(team, projects, login, world):
    last_week = this_week() - datetime.timedelta(days=7)
    weekly_status_record(project=projects[0], week=last_week, values=values(), by=None)
    client = login("member")
    rows = [("P-1", "", 60, "招标中", "未签订", 0, "", "")]
    response, _batch = upload_and_confirm(client, rows, week=last_week)
    assert "Give a reason for amending" in client.get(response.url).content.decode()
    assert WeeklyStatus.objects.get().plan_allocation == 50
    _response, batch = upload_and_confirm(client, rows, week=last_week, reason="补录更正")
    batch.refresh_from_db()
    assert batch.status == "imported"
    status = WeeklyStatus.objects.get()
    assert status.plan_allocation == 60
    assert status.history.latest().history_change_reason == "补录更正"


def test_a_future_week_is_refused(team, projects, login):
    response = upload(
        login("member"), xlsx(GOOD_ROWS), week=this_week() + datetime.timedelta(days=7)
    )
    assert "cannot be entered for a future week" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_template_lists_active_projects_and_imports_as_is(team, projects, login):
    weekly_status_record(
        project=projects[0],
        week=this_week(),
        by=None,
        values=values(100, "awarded", "signed", 35, True, "催交"),
    )
    client = login("member")
    response = client.get("/serviceteam/board/template/")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == HEADERS
    assert rows[2] == ("P-1", "110千伏工程1", 100, "已定标", "已签订", 35, "是", "催交")
    assert [r[0] for r in rows[2:]] == ["P-1", "P-2", "P-3"]
    history = history_rows()
    response = upload(client, response.content)
    batch = ImportBatch.objects.get()
    client.post(f"{URL}{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.created_count, batch.unchanged_count) == (2, 1)
    assert history_rows() == history + 2


def test_a_preview_is_its_uploaders_only(team, projects, login, world):
    upload(login("member"), xlsx(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    general = login("general")  # may import, but did not upload this sheet
    assert general.get(f"{URL}{batch.pk}/").status_code == 404
    assert general.post(f"{URL}{batch.pk}/confirm/").status_code == 404
    assert WeeklyStatus.objects.count() == 0


def test_discarding_imports_nothing(team, projects, login):
    client = login("member")
    upload(client, xlsx(GOOD_ROWS))
    batch = ImportBatch.objects.get()
    client.post(f"{URL}{batch.pk}/discard/")
    assert client.post(f"{URL}{batch.pk}/confirm/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and WeeklyStatus.objects.count() == 0


def test_row_errors_are_in_the_users_language(team, projects, login, settings):
    from django.utils.translation import gettext

    settings.LANGUAGE_CODE = "zh-hans"
    client = login("member")
    response = upload(client, xlsx([("P-9", "", 50, "招标中", "未签订", 0, "", "")]))
    page = client.get(response.url).content.decode()
    with translation.override("zh-hans"):
        expected = gettext("No key project has the code %(code)s.") % {"code": "P-9"}
    assert expected in page
