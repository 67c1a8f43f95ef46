"""Every ledger (台账) a secretary, a general branch or the committee keeps as a list
exports to Excel: the page's columns with Chinese headings, the page's filters and
scope, every row (not one page), a bold frozen header row, and a query count that does
not grow with the rows. The download is recorded in the audit trail."""

import datetime
import html
import re
import zoneinfo
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from activities.models import Activity, Document
from activities.services import project_create
from assessments import services as assessment_services
from audit.models import Download
from branches.models import ExternalOrganisation, Partnership
from development.models import MentorPair
from elections.services import term_open
from liaison.models import ProblemCategory
from liaison.services import campaign_create, opinion_record, problem_register
from meetings.models import Meeting, MeetingKind
from meetings.services import AttendanceEntry, MeetingData, meeting_create
from notices import services as notice_services
from notices.services import NoticeData
from study.models import CreditEntry, CreditRule
from supplychain_party.exports import XLSX, Column, ledger_workbook
from tests.assessments_helpers import make_scheme
from tests.factories import make_member, make_org
from tests.test_dues_helpers import declare
from tests.test_study_helpers import make_material
from vanguard.models import Pledge

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 20, 10, tzinfo=SH)
TODAY = NOW.date()
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def frozen(world):
    """Chinese pages (the default language) on a fixed day; adding organisations in
    name order moves siblings' paths, so they are reloaded."""
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        yield


# --- What a user sees: the page's headings, the file's rows ---------------------------


def headings(page, table: int = 0) -> list[str]:
    """The column headings of the page's `table`-th table, as the user reads them
    (an action column without a heading left out)."""
    assert page.status_code == 200
    thead = re.findall(r"<thead>(.*?)</thead>", page.content.decode(), re.S)[table]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]
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


# --- The shared helper ----------------------------------------------------------------


def test_the_helper_writes_dates_as_dates_and_local_times_without_a_zone():
    columns = (Column("日期", lambda r: r[0]), Column("时间", lambda r: r[1]),
               Column("金额", lambda r: r[2], number_format="#,##0.00"))
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
        organisation=world.branch, kind=kind,
        data=MeetingData(held_at=NOW - datetime.timedelta(days=days), topic=topic,
                         host=world.secretary),
        attendance=[AttendanceEntry(world.member.pk, "present"),
                    AttendanceEntry(make_member(world.branch).pk, "absent")],
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
    sheet = same_columns(client, f"{base}?kind=party_lesson",
                         f"{base}meetings.xlsx?kind=party_lesson")
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
    sheet = sheet_of(client.get(
        f"/meetings/org/{world.branch.pk}/ledger.xlsx?kind=party_lesson&year=2026"))
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
    campaign = campaign_create(organisation=world.branch, title=f"征求意见{start}",
                               starts_on=TODAY - datetime.timedelta(days=30), ends_on=TODAY)
    return [
        opinion_record(campaign=campaign, text=f"意见{start + i}", raised_by=world.member,
                       recorded_by=world.secretary, raised_on=TODAY)
        for i in range(n)
    ]


def test_the_opinion_list_exports_its_columns_and_unregistered_filter(world, login):
    first, _second = _opinions(world, 2)
    problem_register(title="已挂号的问题", category=ProblemCategory.objects.first(),
                     organisation=world.branch, owner=world.secretary,
                     deadline=TODAY + datetime.timedelta(days=14),
                     by=world.secretary.user, opinion=first)
    client = login("secretary")
    base = f"/liaison/org/{world.branch.pk}/"
    sheet = same_columns(client, f"{base}opinions/?unregistered=1",
                         f"{base}opinions.xlsx?unregistered=1")
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
        branch=world.branch, kind=MentorPair.Kind.EXPERT_TO_MEMBER, mentor=world.secretary,
        mentee=mentee, goals=goals, started_on=TODAY - datetime.timedelta(days=60),
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
    return Pledge.objects.create(person=person, branch=world.branch, year=2026,
                                 text=f"{person.name}的承诺", status=status)


def test_the_pledge_list_exports_its_columns_and_filters(world, login):
    _pledge(world, world.member)
    _pledge(world, world.group_leader, Pledge.Status.APPROVED)
    _pledge(world, world.secretary, Pledge.Status.DRAFT)  # private: on neither
    client = login("secretary")
    base = f"/vanguard/org/{world.branch.pk}/pledges/"
    sheet = same_columns(client, f"{base}?status=approved", f"{base}export/?status=approved",
                         drop=("审阅",))
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
    return Activity.objects.create(kind=kind, title=title,
                                   organisation=organisation or world.branch,
                                   held_on=TODAY - datetime.timedelta(days=3))


def test_the_activities_list_exports_its_columns_filters_and_scope(world, login):
    _activity(world, Activity.Kind.CULTURE_FORUM, "物资文化讲坛")
    _activity(world, Activity.Kind.STAFF_LECTURE, "员工讲大家听")
    client = login("secretary")
    sheet = same_columns(client, "/activities/?kind=staff_lecture",
                         "/activities/export/?kind=staff_lecture")
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
            title="结对联创", started_on=datetime.date(2025, 1, 1))
    return project_create(partnership=partnership, topic=topic, lead=lead, members=[],
                          started_on=datetime.date(2025, 1, 1),
                          due_on=datetime.date(2026, 12, 31), by=None)


def test_the_joint_projects_export_their_columns_filter_and_scope(world, login):
    done = _project(world, "标准化仓库建设", world.member)
    _project(world, "重点物资合同协同", world.member)
    done.status = "completed"
    done.save(update_fields=["status"])
    client = login("general")
    sheet = same_columns(client, "/activities/projects/?status=completed",
                         "/activities/projects/export/?status=completed")
    assert column(sheet, "主题") == ["标准化仓库建设"]
    assert column(sheet, "结对联创") == ["采购供应党总支 ⇄ 电力公司物资部党支部"]
    assert rows_of(sheet_of(login("other_secretary").get("/activities/projects/export/"))) == []
    before = queries(client, "/activities/projects/export/")
    for n in range(4):
        _project(world, f"课题{n}", world.secretary)
    assert queries(client, "/activities/projects/export/") == before


def _document(world, title, category=Document.Category.RULE):
    return Document.objects.create(title=title, category=category, organisation=world.branch,
                                   visibility=Document.Visibility.SUBTREE)


def test_the_documents_export_their_columns_filters_and_scope(world, login):
    _document(world, "支部工作制度")
    _document(world, "服务队实施方案", Document.Category.SCHEME)
    client = login("secretary")
    sheet = same_columns(client, "/activities/documents/?category=scheme",
                         "/activities/documents/export/?category=scheme")
    assert column(sheet, "标题") == ["服务队实施方案"]
    assert column(sheet, "当前版本") == ["—"]
    assert rows_of(sheet_of(login("other_secretary").get("/activities/documents/export/"))) == []
    before = queries(client, "/activities/documents/export/")
    for n in range(4):
        _document(world, f"制度{n}")
    assert queries(client, "/activities/documents/export/") == before


# --- Dues: arrears and totals ----------------------------------------------------------


def test_the_arrears_export_lists_every_member_owing_with_the_pages_columns(world, login):
    declare(world.member, "6000.00")
    declare(world.secretary, "3000.00")
    client = login("secretary")
    url = f"/dues/orgs/{world.branch.pk}/arrears/"
    sheet = same_columns(client, url, f"{url}export/")
    assert sorted(column(sheet, "党员")) == ["张党员", "赵书记"]
    member = dict(zip(column(sheet, "党员"), column(sheet, "欠缴月份"), strict=True))["张党员"]
    assert member == "2026-01、2026-02、2026-03、2026-04"
    refused(login, f"{url}export/", "other_secretary", "member")
    before = queries(client, f"{url}export/")
    for _ in range(4):
        declare(make_member(world.branch), "5000.00")
    assert queries(client, f"{url}export/") == before


def test_the_totals_export_has_the_pages_month_rows_and_total(world, login):
    declare(world.member, "6000.00", from_month=3)
    declare(world.other_member, "12000.00")
    client = login("general")
    url = f"/dues/orgs/{world.general.pk}/totals/"
    sheet = same_columns(client, f"{url}?month=2026-02", f"{url}export/?month=2026-02")
    due = dict(zip(column(sheet, "党组织"), column(sheet, "应缴（元）"), strict=True))
    # In February only 李党员 (12000: 2%) owes; 张党员 declared from March.
    assert due["采购合同党支部"] == 0 and due["仓储配送党支部"] == 240
    assert due["合计"] == 240 and sheet[sheet.max_row][0].font.bold
    march = sheet_of(client.get(f"{url}export/?month=2026-03"))
    assert dict(zip(column(march, "党组织"), column(march, "应缴（元）"),
                    strict=True))["采购合同党支部"] == 90
    refused(login, f"/dues/orgs/{world.branch.pk}/totals/export/", "other_secretary", "member")
    before = queries(client, f"{url}export/")
    for _ in range(4):
        declare(make_member(world.other_branch), "5000.00")
    assert queries(client, f"{url}export/") == before


# --- Study: ranking and materials ------------------------------------------------------


def _credit(person, points, title, on=TODAY):
    material = make_material(person.branch, title=title, assign_to=False)
    return CreditEntry.objects.create(person=person, rule=CreditRule.objects.get(event="read"),
                                      material=material, points=Decimal(points), earned_on=on)


def test_the_ranking_exports_its_columns_period_and_organisation(world, login):
    _credit(world.member, "4", "五月学习")
    _credit(world.secretary, "2", "一月学习", on=datetime.date(2026, 1, 10))
    client = login("secretary")
    url = f"/study/ranking/?org={world.branch.pk}&period=month&at=2026-05"
    sheet = same_columns(client, url, url.replace("ranking/", "ranking/export/"))
    ranks = dict(zip(column(sheet, "姓名"), column(sheet, "积分"), strict=True))
    assert ranks["张党员"] == 4 and ranks["赵书记"] == 0
    year = sheet_of(client.get(
        f"/study/ranking/export/?org={world.branch.pk}&period=year&at=2026"))
    assert dict(zip(column(year, "姓名"), column(year, "积分"), strict=True))["赵书记"] == 2
    # The general branch's page: the top members with their branch; the export has all.
    general = login("general")
    top = f"/study/ranking/?org={world.general.pk}"
    sheet = same_columns(general, top, top.replace("ranking/", "ranking/export/"))
    assert "李党员" in column(sheet, "姓名")
    refused(login, f"/study/ranking/export/?org={world.branch.pk}", "other_secretary")
    export = f"/study/ranking/export/?org={world.branch.pk}"
    before = queries(client, export)
    for n in range(4):
        _credit(make_member(world.branch), "1", f"资料{n}")
    assert queries(client, export) == before


def test_the_materials_list_exports_its_columns_search_and_scope(world, login):
    make_material(world.branch, title="党章学习")
    make_material(world.branch, title="安全生产规程")
    client = login("secretary")
    sheet = same_columns(client, "/study/manage/?q=党章", "/study/manage/export/?q=党章")
    assert column(sheet, "标题") == ["党章学习"] and column(sheet, "指派数") == [1]
    assert rows_of(sheet_of(login("other_secretary").get("/study/manage/export/"))) == []
    refused(login, "/study/manage/export/", "member")
    before = queries(client, "/study/manage/export/")
    for n in range(4):
        make_material(world.branch, title=f"资料{n}")
    assert queries(client, "/study/manage/export/") == before


# --- Elections: terms -------------------------------------------------------------------


def test_the_terms_export_has_the_pages_columns_state_filter_and_scope(world, login):
    term_open(organisation=world.branch, started_on=datetime.date(2025, 1, 1))
    term_open(organisation=world.other_branch, started_on=datetime.date(2020, 1, 1))
    client = login("general")
    url = f"/elections/terms/{world.general.pk}/"
    sheet = same_columns(client, f"{url}?state=overdue", f"{url}export/?state=overdue")
    assert column(sheet, "党组织") == ["仓储配送党支部"]
    assert column(sheet, "状态") == ["已逾期"]
    assert [d.date() for d in column(sheet, "任期开始日期")] == [datetime.date(2020, 1, 1)]
    everything = column(sheet_of(client.get(f"{url}export/")), "党组织")
    assert {"采购供应党总支", "采购合同党支部", "仓储配送党支部"} <= set(everything)
    refused(login, f"/elections/terms/{world.branch.pk}/export/", "other_secretary", "member")
    before = queries(client, f"{url}export/")
    for n in range(3):
        make_org(f"新建党支部{n}", "branch", world.general)
    world.general.refresh_from_db()
    assert queries(login("general"), f"/elections/terms/{world.general.pk}/export/") == before


# --- Notices sent --------------------------------------------------------------------------


def _notice(world, title, *, publish=True):
    notice = notice_services.notice_create(organisation=world.branch, by=None,
                                           data=NoticeData(title, "请按时参加。"))
    if publish:
        notice_services.notice_publish(notice=notice, by=None, enqueue=False)
    return notice


def test_the_notices_sent_export_their_columns_and_filters(world, login):
    _notice(world, "关于召开党员大会的通知")
    _notice(world, "草稿通知", publish=False)
    client = login("secretary")
    base = f"/notices/org/{world.branch.pk}/"
    sheet = same_columns(client, f"{base}?status=draft", f"{base}export/?status=draft")
    assert column(sheet, "标题") == ["草稿通知"] and column(sheet, "已读") == ["—"]
    published = sheet_of(client.get(f"{base}export/?q=党员大会"))
    assert column(published, "标题") == ["关于召开党员大会的通知"]
    assert isinstance(column(published, "已发布")[0], datetime.datetime)
    refused(login, f"{base}export/", "other_secretary", "member")
    before = queries(client, f"{base}export/")
    for n in range(4):
        _notice(world, f"通知{n}")
    assert queries(client, f"{base}export/") == before


# --- The register -------------------------------------------------------------------------


def test_the_register_exports_its_columns_filters_and_masks_phones(world, login):
    client = login("secretary")
    sheet = same_columns(client, "/people/?status=masses", "/people/export/?status=masses")
    assert column(sheet, "姓名") == ["王群众"]
    phone = world.masses.phone
    assert column(sheet, "电话") == [f"{phone[:3]}****{phone[-4:]}"]
    assert phone not in str(rows_of(sheet))
    mine = column(sheet_of(client.get("/people/export/")), "姓名")
    assert "张党员" in mine and "李党员" not in mine  # another branch's people: not here
    refused(login, "/people/export/", "member")
    before = queries(client, "/people/export/")
    for _ in range(4):
        make_member(world.branch)
    assert queries(client, "/people/export/") == before


def test_the_organisations_list_exports_its_columns_filters_and_scope(world, login):
    client = login("general")
    sheet = same_columns(client, "/orgs/?kind=branch", "/orgs/export.xlsx?kind=branch")
    names = column(sheet, "名称")
    assert world.branch.name in names and world.general.name not in names
    mine = column(sheet_of(login("secretary").get("/orgs/export.xlsx")), "名称")
    assert world.branch.name in mine and world.other_branch.name not in mine
    refused(login, "/orgs/export.xlsx", "member")
    before = queries(client, "/orgs/export.xlsx")
    world.general.refresh_from_db()
    for n in range(3):
        make_org(f"新支部{n}", "branch", world.general)
    assert queries(client, "/orgs/export.xlsx") == before


# --- Assessments: the democratic appraisal and its tally -------------------------------


def test_the_branch_appraisal_exports_its_columns_for_every_member(world, login):
    scheme = make_scheme(2026)
    assessment_services.appraisal_open(scheme=scheme, branch=world.branch)
    client = login("secretary")
    url = f"/assessments/org/{world.branch.pk}/2026/appraisal/"
    sheet = same_columns(client, url, f"{url}export/")
    assert "张党员" in column(sheet, "党员")
    assert set(column(sheet, "支部委员会意见")) == {"—"}
    refused(login, f"{url}export/", "other_secretary", "member")
    before = queries(client, f"{url}export/")
    for _ in range(4):
        make_member(world.branch)
    assessment_services.appraisal_open(scheme=scheme, branch=world.branch)
    assert queries(client, f"{url}export/") == before


def test_the_appraisal_tally_exports_the_leaders_branches_and_totals(world, login):
    scheme = make_scheme(2026)
    assessment_services.appraisal_open(scheme=scheme, branch=world.branch)
    assessment_services.appraisal_open(scheme=scheme, branch=world.other_branch)
    general = login("general")
    sheet = same_columns(general, "/assessments/appraisal/2026/tally/",
                         "/assessments/appraisal/2026/tally/export/")
    assert set(column(sheet, "党支部")[:2]) == {"采购合同党支部", "仓储配送党支部"}
    assert column(sheet, "党支部")[-1] == "各支部合计（已决定）"
    own = sheet_of(login("secretary").get("/assessments/appraisal/2026/tally/export/"))
    assert column(own, "党支部")[:-1] == ["采购合同党支部"]  # their branch only
    refused(login, "/assessments/appraisal/2026/tally/export/", "member")


# --- Audit: the trail records an export, and exports itself --------------------------


def test_a_new_export_is_recorded_in_the_audit_trail_with_its_filters(world, login):
    login("secretary").get("/people/export/?status=masses")
    download = Download.objects.get()
    assert download.username == "secretary" and download.path == "/people/export/"
    assert download.query == "status=masses" and download.filename == "党员花名册.xlsx"
    committee = login("committee")
    page = committee.get("/audit/?user=secretary").content.decode()
    assert "/people/export/" in page and "党员花名册.xlsx" in page


def test_the_download_trail_exports_its_columns_and_user_filter(world, login):
    login("secretary").get("/people/export/")
    login("general").get("/people/export/")
    committee = login("committee")
    sheet = same_columns(committee, "/audit/?user=general", "/audit/export/?user=general")
    assert column(sheet, "用户名") == ["general"]
    assert isinstance(column(sheet, "下载时间")[0], datetime.datetime)
    refused(login, "/audit/export/", "secretary", "general", "member")
    before = queries(committee, "/audit/export/")
    for _ in range(4):
        login("secretary").get("/people/export/")
    assert queries(committee, "/audit/export/") == before


# --- The page's export button keeps its filters ---------------------------------------------


@pytest.mark.parametrize("page_url, export_url", [
    ("/people/?status=full&page=1", "/people/export/?status=full"),
    ("/activities/documents/?category=rule", "/activities/documents/export/?category=rule"),
])
def test_the_export_button_carries_the_pages_filters(world, login, page_url, export_url):
    page = login("secretary").get(page_url).content.decode()
    assert f'href="{html.escape(export_url)}"' in page
    assert "导出 Excel" in page
