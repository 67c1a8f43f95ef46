"""The roster sheet's row validator under any cell values (hypothesis), and two
imports confirmed at the same moment."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from members.imports.sheet import HEADERS, read_row
from members.models import Person, Post, RosterImport
from tests.concurrency import at_once
from tests.roster_helpers import (
    BRANCH,
    GOOD,
    row,
    upload,
    xlsx,
)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# -- The row validator ---------------------------------------------------------------------

# What people put in cells: anything openpyxl can hand back, and the sheet's own words.
WORDS = st.sampled_from(
    [
        "",
        " ",
        "正式党员",
        "积极分子",
        "群众",
        "男",
        "女",
        "书记",
        "组织委员、党小组长",
        "党小组长,书记",
        BRANCH,
        "第一党小组",
        "2024-03-01",
        "2024/3/1",
        "2024年3月1日",
        "2999-01-01",
        "2024-02-30",
        "0000-01-01",
        "13912345678",
        "010-12345678",
        "+86 139 1234 5678",
        "WZ 1",
        "WZ1001",
    ]
)
CELLS = st.one_of(
    st.none(),
    WORDS,
    st.text(max_size=60),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.decimals(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.times(),
)
DATES = st.one_of(st.sampled_from(["", "2015-07-01", "2016/7/1", "2999-01-01"]), st.dates())
# Per column, what such a column usually holds (mostly valid), or anything at all.
PLAUSIBLE = {
    "工号": st.sampled_from(["WZ1001", "E000001", 1001, "WZ 1", ""]),
    "姓名": st.sampled_from(["张三", "李四", ""]),
    "性别": st.sampled_from(["男", "女", "", "未知"]),
    "联系电话": st.sampled_from(["13912345678", 13912345678, "010-12345678", "12345", ""]),
    "部门": st.sampled_from(["合同管理部", ""]),
    "政治面貌": st.sampled_from(["群众", "积极分子", "预备党员", "正式党员", "团员"]),
    "所在支部": st.sampled_from([BRANCH, ""]),
    "党小组": st.sampled_from(["", "第一党小组"]),
    "入党日期": DATES,
    "转正日期": DATES,
    "加入支部日期": DATES,
    "党内职务": st.sampled_from(["", "书记", "组织委员、党小组长", "主任"]),
    "任职日期": DATES,
}
# A valid row with one cell replaced by anything.
ONE_CELL_CHANGED = st.tuples(st.integers(0, len(HEADERS) - 1), CELLS).map(
    lambda change: tuple(
        change[1] if index == change[0] else value
        for index, value in enumerate(row("WZ1001", "张三"))
    )
)
ROWS = st.one_of(
    st.lists(CELLS, max_size=len(HEADERS) + 3),
    ONE_CELL_CHANGED,
    st.tuples(*(st.one_of(PLAUSIBLE[header], CELLS) for header in HEADERS)),
    st.tuples(*(PLAUSIBLE[header] for header in HEADERS)),
)
TODAY = datetime.date(2026, 6, 30)


@hypothesis_settings(max_examples=500, deadline=None)
@given(values=ROWS)
def test_any_cells_give_a_valid_row_or_row_errors(values):
    person_row, errors = read_row(values, 7, today=TODAY)
    event("row errors" if errors else "a valid row")
    assert all(isinstance(error.message, str) and error.message for error in errors)
    assert {(error.row, error.column in HEADERS) for error in errors} <= {(7, True)}
    if errors:
        return
    # A row without errors has everything the import needs, in the register's terms.
    assert person_row.employee_no and not any(c.isspace() for c in person_row.employee_no)
    assert person_row.name and person_row.branch_name
    assert person_row.status in Person.Status.values
    assert person_row.gender in ("", *Person.Gender.values)
    assert set(person_row.roles) <= set(Post.Role.values)
    assert not person_row.roles or person_row.post_from is not None
    assert person_row.phone == "" or re.fullmatch(r"1\d{10}|0[\d-]+", person_row.phone)
    for day in (person_row.joined_party_on, person_row.full_member_on, person_row.member_from):
        assert day is None or day <= TODAY
    if person_row.joined_party_on and person_row.full_member_on:
        assert person_row.joined_party_on <= person_row.full_member_on


def test_every_status_and_post_has_its_word_in_the_sheet():
    assert [
        read_row(row("1", "甲", 政治面貌=word), 3, today=TODAY)[0].status
        for word in ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
    ] == Person.Status.values
    posts = "、".join(["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "党小组长"])
    parsed, errors = read_row(row("1", "甲", 党内职务=posts, 任职日期="2024-01-01"), 3, today=TODAY)
    assert errors == [] and list(parsed.roles) == Post.Role.values


# -- Files that are not the sheet ---------------------------------------------------------

REFUSED = {
    "not xlsx content": (b"gonghao,name\nWZ1,A\n", "花名册.xlsx", "does not contain what its name"),
    "not .xlsx": (xlsx(GOOD), "花名册.xls", "is not an accepted file type"),
    "too large": (b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "花名册.xlsx", "the largest accepted"),
    "wrong headers": (
        xlsx(GOOD, headers=[*HEADERS[:-1], "备注"]),
        "花名册.xlsx",
        "The columns are not those of the template. Expected: 工号、姓名、",
    ),
    "no people": (xlsx([]), "花名册.xlsx", "The sheet has no rows of people."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_is_not_the_sheet_is_refused_at_upload(case, world, login, english):
    content, name, message = REFUSED[case]
    response = upload(login("secretary"), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RosterImport.objects.count() == 0


# -- At the same moment --------------------------------------------------------------------


def _uploaded(rows, username: str) -> RosterImport:
    from django.contrib.auth import get_user_model

    from members.access import scope_for
    from members.imports.services import roster_import_upload

    user = get_user_model().objects.get(username=username)
    return roster_import_upload(
        upload=SimpleUploadedFile("花名册.xlsx", xlsx(rows)), scope=scope_for(user), by=user
    )


def _confirm(batch: RosterImport):
    from members.access import scope_for
    from members.imports.services import roster_import_confirm

    user = batch.uploaded_by
    return lambda: roster_import_confirm(batch=batch, scope=scope_for(user), by=user)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_confirmation_at_the_same_moment_imports_once(world):
    batch = _uploaded(GOOD, "secretary")
    results, errors = at_once(_confirm(batch), _confirm(batch))
    assert len(results) == 1 and len(errors) == 1
    assert errors[0].code == "not_pending"  # (threads speak the default language)
    assert Person.objects.filter(employee_no__startswith="WZ9").count() == 3
    assert Post.objects.filter(person__employee_no="WZ9001").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sheets_adding_the_same_person_at_once_add_them_once(world):
    """The secretary and the general branch each import 新同志 with another new person.
    Whichever comes second either finds 新同志 already there (unchanged) or, when both
    write at once, fails whole: never a duplicate, a crash, or half an import."""
    mine = _uploaded([GOOD[1], GOOD[0]], "secretary")
    theirs = _uploaded([GOOD[2], GOOD[0]], "general")
    _results, errors = at_once(_confirm(mine), _confirm(theirs))
    assert Person.objects.filter(employee_no="WZ9001").count() == 1
    for batch in (mine, theirs):
        batch.refresh_from_db()
    imported = [batch for batch in (mine, theirs) if batch.status == "imported"]
    assert imported and len(imported) + len(errors) == 2
    for error in errors:
        # The loser's second row (row 4) is refused: 新同志 was added meanwhile.
        assert re.findall(r"4|工号", error.messages[0])[:2] == ["4", "工号"]
    others = {mine.pk: "WZ9002", theirs.pk: "WZ9003"}
    for batch in (mine, theirs):
        added = Person.objects.filter(employee_no=others[batch.pk]).exists()
        assert added == (batch.status == "imported")
