"""The roster import (people, branch memberships, posts): template -> upload -> preview
with row-level errors -> confirm, every row or none; re-importing changes nothing; a
changed branch moves the person; scope decides whose rows a user may import.

World (tests/conftest.py): 采购合同党支部 (secretary 赵书记, member 张党员 in 第一党小组
led by 吴组长, 王群众), 仓储配送党支部 (钱书记, 李党员), both under 采购供应党总支.
"""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from members.models import Person, Post, RosterImport
from members.services import post_assign
from tests.factories import START, make_member
from tests.roster_helpers import (
    BRANCH,
    GOOD,
    OTHER_BRANCH,
    URL,
    kw,
    register,
    row,
    upload,
    upload_and_confirm,
    xlsx,
)


@pytest.fixture
def english(settings):
    # Messages are matched in English, the source language, whatever the catalogue says.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_it_imports_people_memberships_and_posts_after_a_preview(world, login, english):
    client = login("secretary")
    before = register()
    response = upload(client, xlsx(GOOD))
    batch = RosterImport.objects.get()
    assert response.url == f"{URL}{batch.pk}/"
    assert register() == before  # the upload and the preview write nothing
    preview = client.get(response.url).content.decode()
    assert register() == before
    assert preview.count("New person") == 3 and "Confirm the import" in preview
    assert "New post: Organisation member of 采购合同党支部, from 2024-04-01" in preview
    assert "Importing this sheet adds 3 people, changes 0 and leaves 0 unchanged." in preview

    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "The roster was imported: 3 people added, 0 changed, 0 unchanged." in (
        response.content.decode()
    )
    new = Person.objects.get(employee_no="WZ9001")
    assert (new.name, new.status, new.gender, new.phone) == ("新同志", "full", "m", "13900001111")
    assert (new.joined_party_on, new.full_member_on) == (
        datetime.date(2015, 7, 1),
        datetime.date(2016, 7, 1),
    )
    assert new.branch == world.branch
    assert new.memberships.get().started_on == datetime.date(2024, 3, 1)
    post = Post.objects.get(person=new)
    assert (post.organisation, post.role, post.started_on) == (
        world.branch,
        "organisation",
        datetime.date(2024, 4, 1),
    )
    masses = Person.objects.get(employee_no="WZ9002")
    assert (masses.status, masses.gender, masses.joined_party_on) == ("masses", "f", None)
    probationary = Person.objects.get(employee_no="WZ9003")
    assert (probationary.group, probationary.phone) == (world.group, "010-12345678")
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.uploaded_by.username) == (
        "imported",
        3,
        "secretary",
    )
    assert batch.organisation == world.branch


def test_the_template_has_the_chinese_headers_and_words(world, login):
    response = login("secretary").get(f"{URL}template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True)) == (
        "工号",
        "姓名",
        "性别",
        "联系电话",
        "部门",
        "政治面貌",
        "所在支部",
        "党小组",
        "入党日期",
        "转正日期",
        "加入支部日期",
        "党内职务",
        "任职日期",
    )
    drop_downs = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"群众,入党申请人,入党积极分子,发展对象,预备党员,正式党员"' in drop_downs
    assert '"男,女"' in drop_downs
    assert any("书记,副书记,组织委员" in formula for formula in drop_downs)


def test_a_branchs_roster_downloaded_and_imported_as_is_changes_nothing(world, login, english):
    post_assign(
        person=world.member,
        organisation=world.branch,
        role=Post.Role.PROPAGANDA,
        on=datetime.date(2021, 5, 1),
    )
    client = login("secretary")
    response = client.get(f"{URL}template/?branch={world.branch.pk}")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    by_name = {r[1]: r for r in rows[2:]}
    assert set(by_name) == {"张党员", "王群众", "赵书记", "吴组长"}
    assert by_name["张党员"][5:8] == ("正式党员", BRANCH, "第一党小组")
    assert by_name["张党员"][11] == "宣传委员"
    assert by_name["张党员"][12].date() == datetime.date(2021, 5, 1)
    assert by_name["赵书记"][11] == "书记"
    assert by_name["吴组长"][11] == "党小组长"
    before = register()
    upload(client, response.content)
    batch = RosterImport.objects.get()
    assert client.get(f"{URL}{batch.pk}/").content.decode().count(">Unchanged<") == 4
    client.post(f"{URL}{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 4)
    assert register() == before


def test_another_branchs_roster_is_not_handed_out(world, login):
    response = login("secretary").get(f"{URL}template/?branch={world.other_branch.pk}")
    assert response.status_code == 404


def test_reimporting_the_same_sheet_changes_nothing(world, login, english):
    client = login("secretary")
    upload_and_confirm(client, GOOD)
    before = register()
    response, batch = upload_and_confirm(client, GOOD)
    assert "0 people added, 0 changed, 3 unchanged." in response.content.decode()
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)
    assert register() == before


def test_a_changed_cell_changes_the_person_once_with_history(world, login, english):
    client = login("secretary")
    upload_and_confirm(client, GOOD)
    person = Person.objects.get(employee_no="WZ9002")
    history = person.history.count()
    changed = [
        GOOD[0],
        row("WZ9002", "新群众", 政治面貌="入党积极分子", 入党日期="", 转正日期="", 性别="女"),
        GOOD[2],
    ]
    upload(client, xlsx(changed))
    batch = RosterImport.objects.latest("pk")
    preview = client.get(f"{URL}{batch.pk}/").content.decode()
    assert "political status: Non-party staff → Activist" in preview
    client.post(f"{URL}{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 2)
    person.refresh_from_db()
    assert person.status == "activist"
    assert person.history.count() == history + 1


def test_moving_a_person_to_another_branch(world, login, english):
    """A general branch moves 张党员 from 采购合同党支部 (and its party group) to 仓储配送党支部:
    the membership moves on the sheet's date, and her post in the old branch ends."""
    post_assign(
        person=world.member,
        organisation=world.branch,
        role=Post.Role.PROPAGANDA,
        on=datetime.date(2021, 5, 1),
    )
    member = world.member
    moved = row(
        member.employee_no,
        "张党员",
        所在支部=OTHER_BRANCH,
        加入支部日期="2025-03-01",
        联系电话=member.phone,
        性别="",
    )
    client = login("general")
    upload(client, xlsx([moved]))
    batch = RosterImport.objects.get()
    preview = client.get(f"{URL}{batch.pk}/").content.decode()
    assert "Branch: 采购合同党支部 → 仓储配送党支部, from 2025-03-01" in preview
    assert "Party group: 第一党小组 → —, from 2025-03-01" in preview
    assert "Post ended: Propaganda member of 采购合同党支部, on 2025-03-01" in preview
    client.post(f"{URL}{batch.pk}/confirm/")
    member.refresh_from_db()
    assert (member.branch, member.group) == (world.other_branch, None)
    assert list(
        member.memberships.order_by("started_on").values_list(
            "branch__name", "started_on", "ended_on"
        )
    ) == [
        (BRANCH, datetime.date(2020, 1, 1), datetime.date(2025, 3, 1)),
        (OTHER_BRANCH, datetime.date(2025, 3, 1), None),
    ]
    assert Post.objects.get(person=member).ended_on == datetime.date(2025, 3, 1)
    # The same sheet again: nothing moves twice.
    before = register()
    upload_and_confirm(client, [moved])
    assert register() == before


MALFORMED = {
    "unknown branch": (kw(所在支部="不存在党支部"), "所在支部", "No branch is named 不存在党支部."),
    "branch outside scope": (
        kw(所在支部=OTHER_BRANCH),
        "所在支部",
        "仓储配送党支部 is not among the organisations you lead.",
    ),
    "unknown group": (
        kw(党小组="第九党小组"),
        "党小组",
        "采购合同党支部 has no party group named 第九党小组.",
    ),
    "invalid status": (
        kw(政治面貌="团员"),
        "政治面貌",
        "“团员” is not one of: 群众、入党申请人、入党积极分子、发展对象、预备党员、正式党员.",
    ),
    "missing name": (kw(姓名=""), "姓名", "The cell is empty; it is required."),
    "missing branch": (kw(所在支部=""), "所在支部", "The cell is empty; it is required."),
    "bad date": (
        kw(入党日期="去年七月"),
        "入党日期",
        "“去年七月” is not a date; write it as 2024-03-01.",
    ),
    "future date": (
        kw(加入支部日期="2999-01-01"),
        "加入支部日期",
        "2999-01-01 is in the future.",
    ),
    "bad phone": (
        kw(联系电话="12345"),
        "联系电话",
        "“12345” is not a phone number",
    ),
    "full before admission": (
        kw(入党日期="2016-07-01", 转正日期="2015-07-01"),
        "转正日期",
        "Full membership cannot come before admission to the party.",
    ),
    "unknown post": (
        kw(党内职务="主任", 任职日期="2024-01-01"),
        "党内职务",
        "“主任” is not one of: 书记、副书记、组织委员",
    ),
    "post without its date": (
        kw(党内职务="宣传委员"),
        "任职日期",
        "The cell is empty; it is required when 党内职务 is filled in.",
    ),
    "second secretary": (
        kw(党内职务="书记", 任职日期="2024-04-01"),
        "党内职务",
        "采购合同党支部 already has a secretary; end that post first.",
    ),
    "post for a non-member": (
        kw(政治面貌="群众", 入党日期="", 转正日期="", 党内职务="宣传委员", 任职日期="2024-04-01"),
        "党内职务",
        "新人 is not a party member and cannot hold a post.",
    ),
    "group leader without a group": (
        kw(党内职务="党小组长", 任职日期="2024-04-01"),
        "党内职务",
        "A party-group leader leads a party group: fill in 党小组.",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_bad_row_is_listed_and_nothing_is_imported(case, world, login, english):
    cells, column, message = MALFORMED[case]
    client = login("secretary")
    before = register()
    # The bad row comes last (row 6), after three good ones that would import.
    response = upload(client, xlsx([*GOOD, row("WZ9009", "新人", **cells)]))
    batch = RosterImport.objects.get()
    page = client.get(response.url).content.decode()
    assert "nothing will be imported" in page
    assert f"<td>6</td><td>{column}</td><td>{message}" in page
    assert "Confirm the import" not in page
    # Confirming anyway (a forged POST) imports nothing either: not even the good rows.
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "Nothing was imported." in response.content.decode()
    assert register() == before
    batch.refresh_from_db()
    assert batch.status == "pending"


def test_an_employee_number_twice_in_the_sheet_is_an_error(world, login, english):
    client = login("secretary")
    response = upload(client, xlsx([*GOOD, row("WZ9001", "重复")]))
    page = client.get(response.url).content.decode()
    assert (
        "<td>6</td><td>工号</td><td>Employee number WZ9001 appears twice in the sheet "
        "(first on row 3)." in page
    )


def test_row_errors_are_in_chinese_by_default(world, login):
    client = login("secretary")
    response = upload(
        client,
        xlsx(
            [
                row("WZ9001", "新同志", 所在支部="不存在党支部"),
                row("WZ9002", "新同志", 入党日期="去年七月"),
                row("WZ9003", "", 所在支部=OTHER_BRANCH),
            ]
        ),
    )
    page = client.get(response.url).content.decode()
    assert "该表有 4 处错误" in page
    assert "<td>3</td><td>所在支部</td><td>没有名为“不存在党支部”的党支部。" in page
    assert "<td>4</td><td>入党日期</td><td>“去年七月”不是日期，请写成 2024-03-01 的形式。" in page
    assert "<td>5</td><td>姓名</td><td>此项为必填，单元格为空。" in page
    assert "<td>5</td><td>所在支部</td><td>仓储配送党支部不在您所领导的组织之内。" in page


def test_the_confirmation_validates_the_sheet_again(world, login, english):
    """A secretary named (in the admin) between the preview and the confirmation."""
    client = login("general")
    sheet = [
        row("WZ9001", "新同志", 所在支部=OTHER_BRANCH, 党内职务="副书记", 任职日期="2024-04-01")
    ]
    upload(client, xlsx([*sheet, row("WZ9002", "新书记", 党内职务="书记", 任职日期="2024-04-01")]))
    batch = RosterImport.objects.get()
    page = client.get(f"{URL}{batch.pk}/").content.decode()
    assert "already has a secretary" in page  # 赵书记 is 采购合同党支部's secretary
    Post.objects.filter(organisation=world.branch, role="secretary").update(
        ended_on=datetime.date(2024, 3, 31)
    )
    assert "Confirm the import" in client.get(f"{URL}{batch.pk}/").content.decode()
    post_assign(
        person=world.member,
        organisation=world.branch,
        role=Post.Role.SECRETARY,
        on=datetime.date(2024, 4, 1),
    )
    before = register()
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "Row 4, 党内职务: 采购合同党支部 already has a secretary; end that post first." in page
    assert "Nothing was imported." in page
    assert register() == before


def test_a_batch_is_imported_once(world, login, english):
    client = login("secretary")
    _response, batch = upload_and_confirm(client, GOOD)
    before = register()
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "already imported or discarded" in response.content.decode()
    assert register() == before
    batch.refresh_from_db()
    assert batch.created_count == 3


def test_discarding_imports_nothing(world, login, english):
    client = login("secretary")
    upload(client, xlsx(GOOD))
    batch = RosterImport.objects.get()
    client.post(f"{URL}{batch.pk}/discard/")
    response = client.post(f"{URL}{batch.pk}/confirm/", follow=True)
    assert "already imported or discarded" in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.content)) == ("discarded", b"")
    assert not Person.objects.filter(employee_no__startswith="WZ9").exists()


# -- Scope ---------------------------------------------------------------------------------


def test_a_secretary_cannot_touch_someone_in_another_branch(world, login, english):
    """李党员 belongs to 仓储配送党支部: 采购合同党支部's secretary cannot pull her over."""
    other = world.other_member
    client = login("secretary")
    response = upload(client, xlsx([row(other.employee_no, "李党员")]))
    page = client.get(response.url).content.decode()
    assert (
        f"Employee number {other.employee_no} belongs to someone outside the organisations "
        "you lead." in page
    )
    assert "李党员" in page and OTHER_BRANCH not in page  # nothing said about where she is


@pytest.mark.parametrize("persona", ["member", "group_leader", "unlinked"])
def test_those_who_lead_no_branch_cannot_import(persona, world, login):
    client = login(persona)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}template/").status_code == 403
    assert upload(client, xlsx(GOOD)).status_code == 403
    assert RosterImport.objects.count() == 0


def test_the_register_links_the_import_for_those_allowed(world, login):
    page = login("secretary").get("/people/").content.decode()
    assert f'href="{URL}"' in page
    page = login("group_leader").get("/people/").content.decode()
    assert f'href="{URL}"' not in page


def test_a_preview_is_its_uploaders_only(world, login, english):
    upload(login("secretary"), xlsx(GOOD))
    batch = RosterImport.objects.get()
    general = login("general")  # imports too, and reads the record once it is done
    assert general.get(f"{URL}{batch.pk}/").status_code == 404
    assert general.post(f"{URL}{batch.pk}/confirm/").status_code == 404
    assert general.post(f"{URL}{batch.pk}/discard/").status_code == 404
    assert Person.objects.filter(employee_no="WZ9001").count() == 0


def test_the_record_of_an_import_is_read_by_the_importers_superiors(world, login, english):
    upload_and_confirm(login("secretary"), GOOD)
    batch = RosterImport.objects.get()
    for persona in ("secretary", "general", "committee"):
        client = login(persona)
        listing = client.get(f"{URL}history/").content.decode()
        assert "花名册.xlsx" in listing, persona
        page = client.get(f"{URL}{batch.pk}/").content.decode()
        assert "3 people added, 0 changed, 0 unchanged." in page, persona
    other = login("other_secretary")
    assert "花名册.xlsx" not in other.get(f"{URL}history/").content.decode()
    assert other.get(f"{URL}{batch.pk}/").status_code == 404


# -- Query counts --------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_of_imports_keeps_its_query_count(world, login):
    """Prevents an N+1 on each import's uploader and organisation."""
    client = login("general")
    user = world.secretary.user
    RosterImport.objects.create(
        organisation=world.branch, filename="a.xlsx", content=b"", uploaded_by=user
    )
    few = _queries(client, f"{URL}history/")
    for n in range(6):
        RosterImport.objects.create(
            organisation=world.branch, filename=f"{n}.xlsx", content=b"", uploaded_by=user
        )
    assert _queries(client, f"{URL}history/") == few


def test_the_branchs_roster_keeps_its_query_count(world, login):
    """Prevents an N+1 on each person's group, membership and posts in the template."""
    client = login("secretary")
    url = f"{URL}template/?branch={world.branch.pk}"
    few = _queries(client, url)
    for n in range(5):
        person = make_member(world.branch, group=world.group, name=f"新{n}")
        post_assign(person=person, organisation=world.branch, role=Post.Role.COMMITTEE, on=START)
    assert _queries(client, url) == few


# -- The file ------------------------------------------------------------------------------


def test_a_status_kept_by_a_development_record_is_not_changed(world, login, english):
    from development.services import candidacy_open

    masses = world.masses
    masses.birth_date = datetime.date(1995, 1, 1)
    masses.save(update_fields=["birth_date"])
    today = timezone.localdate()
    candidacy_open(person=masses, branch=world.branch, applied_on=today, today=today)
    client = login("secretary")
    response = upload(
        client,
        xlsx([row(masses.employee_no, "王群众", 政治面貌="发展对象", 入党日期="", 转正日期="")]),
    )
    assert (
        "王群众 has an open member-development record; the political status and its dates "
        "change with its steps." in client.get(response.url).content.decode()
    )
