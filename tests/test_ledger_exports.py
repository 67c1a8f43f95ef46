"""Every ledger (台账) a secretary, a general branch or the committee keeps as a list
exports to Excel: the page's columns with Chinese headings, the page's filters and
scope, every row (not one page), a bold frozen header row, and a query count that does
not grow with the rows. The download is recorded in the audit trail."""

import datetime
from decimal import Decimal

from activities.models import Activity, Document
from activities.services import project_create
from branches.models import ExternalOrganisation, Partnership
from development.models import MentorPair
from liaison.models import ProblemCategory
from liaison.services import campaign_create, opinion_record, problem_register
from meetings.models import Meeting, MeetingKind
from meetings.services import AttendanceEntry, MeetingData, meeting_create
from supplychain_party.exports import Column, ledger_workbook
from tests.factories import make_member
from tests.ledger_helpers import (
    NOW,
    TODAY,
    column,
    frozen,  # noqa: F401 - an autouse fixture
    queries,
    refused,
    rows_of,
    same_columns,
    sheet_of,
)
from vanguard.models import Pledge

# --- The shared helper ----------------------------------------------------------------


def test_the_helper_writes_dates_as_dates_and_local_times_without_a_zone():
    columns = (
        Column("日期", lambda r: r[0]),
        Column("时间", lambda r: r[1]),
        Column("金额", lambda r: r[2], number_format="#,##0.00"),
    )
    sheet = ledger_workbook(
        [(TODAY, NOW.astimezone(datetime.UTC), Decimal("12.5"))], columns, title="测试/台账"
    ).active
    assert sheet.title == "测试 台账"
    date, when, money = sheet[2]
    assert date.value == TODAY and date.number_format == "yyyy-mm-dd"
    assert when.value == NOW.replace(tzinfo=None)  # Shanghai wall time
    assert when.number_format == "yyyy-mm-dd hh:mm"
    assert money.value == 12.5 and money.number_format == "#,##0.00"


# --- Meetings -------------------------------------------------------------------------


def _meeting(world, kind, topic, *, days=1, submitted=True):
    meeting = meeting_create(
        organisation=world.branch,
        kind=kind,
        data=MeetingData(
            held_at=NOW - datetime.timedelta(days=days), topic=topic, host=world.secretary
        ),
        attendance=[
            AttendanceEntry(world.member.pk, "present"),
            AttendanceEntry(make_member(world.branch).pk, "absent"),
        ],
        by=None,
    )
    if submitted:
        Meeting.objects.filter(pk=meeting.pk).update(status="submitted", submitted_at=NOW)
    return meeting


def test_the_meeting_list_exports_its_columns_and_kind_filter(world, login):
    _meeting(world, MeetingKind.THEME_DAY, "五月主题党日")
    _meeting(world, MeetingKind.PARTY_LESSON, "书记讲党课", days=2)
    client = login("secretary")
    base = f"/meetings/org/{world.branch.pk}/"
    sheet = same_columns(
        client, f"{base}?kind=party_lesson", f"{base}meetings.xlsx?kind=party_lesson"
    )
    assert column(sheet, "主题") == ["书记讲党课"]
    assert column(sheet, "出席") == ["1/2"] and column(sheet, "出勤率") == [0.5]
    everything = sheet_of(client.get(f"{base}meetings.xlsx"))
    assert sorted(column(everything, "主题")) == sorted(["五月主题党日", "书记讲党课"])
    refused(login, f"{base}meetings.xlsx", "other_secretary", "member")


def test_the_yearly_ledger_applies_the_lists_kind_filter_too(world, login):
    _meeting(world, MeetingKind.THEME_DAY, "五月主题党日")
    _meeting(world, MeetingKind.PARTY_LESSON, "书记讲党课", days=2)
    client = login("secretary")
    page = client.get(f"/meetings/org/{world.branch.pk}/?kind=party_lesson&year=2026")
    assert "ledger.xlsx?kind=party_lesson&amp;year=2026" in page.content.decode()
    sheet = sheet_of(
        client.get(f"/meetings/org/{world.branch.pk}/ledger.xlsx?kind=party_lesson&year=2026")
    )
    assert [row[8] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["书记讲党课"]


def test_the_meeting_export_keeps_its_query_count_as_meetings_grow(world, login):
    """Prevents a query per meeting for its attendance counts or host."""
    client = login("secretary")
    url = f"/meetings/org/{world.branch.pk}/meetings.xlsx"
    _meeting(world, MeetingKind.THEME_DAY, "一")
    before = queries(client, url)
    for n in range(5):
        _meeting(world, MeetingKind.THEME_DAY, f"第{n}次", days=n + 2)
    assert queries(client, url) == before


# --- Liaison: opinions ---------------------------------------------------------------


def _opinions(world, n: int, *, start: int = 0):
    campaign = campaign_create(
        organisation=world.branch,
        title=f"征求意见{start}",
        starts_on=TODAY - datetime.timedelta(days=30),
        ends_on=TODAY,
    )
    return [
        opinion_record(
            campaign=campaign,
            text=f"意见{start + i}",
            raised_by=world.member,
            recorded_by=world.secretary,
            raised_on=TODAY,
        )
        for i in range(n)
    ]


def test_the_opinion_list_exports_its_columns_and_unregistered_filter(world, login):
    first, _second = _opinions(world, 2)
    problem_register(
        title="已挂号的问题",
        category=ProblemCategory.objects.first(),
        organisation=world.branch,
        owner=world.secretary,
        deadline=TODAY + datetime.timedelta(days=14),
        by=world.secretary.user,
        opinion=first,
    )
    client = login("secretary")
    base = f"/liaison/org/{world.branch.pk}/"
    sheet = same_columns(
        client, f"{base}opinions/?unregistered=1", f"{base}opinions.xlsx?unregistered=1"
    )
    assert column(sheet, "意见") == ["意见1"]
    assert column(sheet, "问题") == ["尚未挂号"]
    assert len(rows_of(sheet_of(client.get(f"{base}opinions.xlsx")))) == 2
    refused(login, f"{base}opinions.xlsx", "other_secretary", "member")
    before = queries(client, f"{base}opinions.xlsx")
    _opinions(world, 4, start=10)
    assert queries(client, f"{base}opinions.xlsx") == before


def test_the_campaign_list_exports_its_columns_with_opinion_counts(world, login):
    _opinions(world, 3)
    client = login("secretary")
    base = f"/liaison/org/{world.branch.pk}/"
    sheet = same_columns(client, f"{base}campaigns/", f"{base}campaigns.xlsx")
    assert column(sheet, "意见征集活动") == ["征求意见0"] and column(sheet, "意见") == [3]
    refused(login, f"{base}campaigns.xlsx", "other_secretary", "member")
    before = queries(client, f"{base}campaigns.xlsx")
    for start in (10, 20, 30):
        _opinions(world, 2, start=start)
    assert queries(client, f"{base}campaigns.xlsx") == before


# --- Development: two-way mentoring ---------------------------------------------------


def _pair(world, mentee, goals="提升业务能力"):
    return MentorPair.objects.create(
        branch=world.branch,
        kind=MentorPair.Kind.EXPERT_TO_MEMBER,
        mentor=world.secretary,
        mentee=mentee,
        goals=goals,
        started_on=TODAY - datetime.timedelta(days=60),
    )


def test_the_mentoring_list_exports_its_columns_and_search(world, login):
    _pair(world, world.member)
    _pair(world, world.group_leader)
    client = login("secretary")
    base = f"/development/org/{world.branch.pk}/"
    sheet = same_columns(client, f"{base}mentoring/?q=张", f"{base}mentoring.xlsx?q=张")
    assert column(sheet, "被带教人") == ["张党员"]
    assert column(sheet, "周期") == ["2026-03-21 – 进行中"]
    refused(login, f"{base}mentoring.xlsx", "other_secretary", "member")
    before = queries(client, f"{base}mentoring.xlsx")
    for _ in range(4):
        _pair(world, make_member(world.branch))
    assert queries(client, f"{base}mentoring.xlsx") == before


# --- Vanguard: pledges ----------------------------------------------------------------


def _pledge(world, person, status=Pledge.Status.SUBMITTED):
    return Pledge.objects.create(
        person=person, branch=world.branch, year=2026, text=f"{person.name}的承诺", status=status
    )


def test_the_pledge_list_exports_its_columns_and_filters(world, login):
    _pledge(world, world.member)
    _pledge(world, world.group_leader, Pledge.Status.APPROVED)
    _pledge(world, world.secretary, Pledge.Status.DRAFT)  # private: on neither
    client = login("secretary")
    base = f"/vanguard/org/{world.branch.pk}/pledges/"
    sheet = same_columns(
        client, f"{base}?status=approved", f"{base}export/?status=approved", drop=("审阅",)
    )
    assert column(sheet, "党员") == ["吴组长"]
    assert len(rows_of(sheet_of(client.get(f"{base}export/?year=2026")))) == 2
    assert rows_of(sheet_of(client.get(f"{base}export/?year=2025"))) == []
    refused(login, f"{base}export/", "other_secretary", "member")
    before = queries(client, f"{base}export/")
    for _ in range(4):
        _pledge(world, make_member(world.branch))
    assert queries(client, f"{base}export/") == before


# --- Activities: forums and lectures, joint projects, documents ---------------------------


def _activity(world, kind, title, organisation=None):
    return Activity.objects.create(
        kind=kind,
        title=title,
        organisation=organisation or world.branch,
        held_on=TODAY - datetime.timedelta(days=3),
    )


def test_the_activities_list_exports_its_columns_filters_and_scope(world, login):
    _activity(world, Activity.Kind.CULTURE_FORUM, "物资文化讲坛")
    _activity(world, Activity.Kind.STAFF_LECTURE, "员工讲大家听")
    client = login("secretary")
    sheet = same_columns(
        client, "/activities/?kind=staff_lecture", "/activities/export/?kind=staff_lecture"
    )
    assert column(sheet, "标题") == ["员工讲大家听"]
    # Another branch's secretary sees neither of this branch's activities.
    other = sheet_of(login("other_secretary").get("/activities/export/"))
    assert rows_of(other) == []
    before = queries(client, "/activities/export/")
    for n in range(4):
        _activity(world, Activity.Kind.TEAM_ACTIVITY, f"团队活动{n}")
    assert queries(client, "/activities/export/") == before


def _project(world, topic, lead):
    partnership = Partnership.objects.filter(organisation=world.general).first()
    if partnership is None:
        partnership = Partnership.objects.create(
            organisation=world.general,
            partner=ExternalOrganisation.objects.create(name="电力公司物资部党支部"),
            title="结对联创",
            started_on=datetime.date(2025, 1, 1),
        )
    return project_create(
        partnership=partnership,
        topic=topic,
        lead=lead,
        members=[],
        started_on=datetime.date(2025, 1, 1),
        due_on=datetime.date(2026, 12, 31),
        by=None,
    )


def test_the_joint_projects_export_their_columns_filter_and_scope(world, login):
    done = _project(world, "标准化仓库建设", world.member)
    _project(world, "重点物资合同协同", world.member)
    done.status = "completed"
    done.save(update_fields=["status"])
    client = login("general")
    sheet = same_columns(
        client,
        "/activities/projects/?status=completed",
        "/activities/projects/export/?status=completed",
    )
    assert column(sheet, "主题") == ["标准化仓库建设"]
    assert column(sheet, "结对联创") == ["采购供应党总支 ⇄ 电力公司物资部党支部"]
    assert rows_of(sheet_of(login("other_secretary").get("/activities/projects/export/"))) == []
    before = queries(client, "/activities/projects/export/")
    for n in range(4):
        _project(world, f"课题{n}", world.secretary)
    assert queries(client, "/activities/projects/export/") == before


def _document(world, title, category=Document.Category.RULE):
    return Document.objects.create(
        title=title,
        category=category,
        organisation=world.branch,
        visibility=Document.Visibility.SUBTREE,
    )


def test_the_documents_export_their_columns_filters_and_scope(world, login):
    _document(world, "支部工作制度")
    _document(world, "服务队实施方案", Document.Category.SCHEME)
    client = login("secretary")
    sheet = same_columns(
        client,
        "/activities/documents/?category=scheme",
        "/activities/documents/export/?category=scheme",
    )
    assert column(sheet, "标题") == ["服务队实施方案"]
    assert column(sheet, "当前版本") == ["—"]
    assert rows_of(sheet_of(login("other_secretary").get("/activities/documents/export/"))) == []
    before = queries(client, "/activities/documents/export/")
    for n in range(4):
        _document(world, f"制度{n}")
    assert queries(client, "/activities/documents/export/") == before
