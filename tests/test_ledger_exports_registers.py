"""Ledger exports (see test_ledger_exports.py): dues, study, terms, notices, the register
and the organisations, appraisals, the audit trail, and the export button's filters."""

import datetime
import html
from decimal import Decimal

import pytest

from assessments import services as assessment_services
from audit.models import Download
from elections.services import term_open
from notices import services as notice_services
from notices.services import NoticeData
from study.models import CreditEntry, CreditRule
from tests.assessments_helpers import make_scheme
from tests.factories import make_member, make_org
from tests.ledger_helpers import (
    TODAY,
    column,
    frozen,  # noqa: F401 - an autouse fixture
    queries,
    refused,
    rows_of,
    same_columns,
    sheet_of,
)
from tests.test_dues_helpers import declare
from tests.test_study_helpers import make_material

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
    assert (
        dict(zip(column(march, "党组织"), column(march, "应缴（元）"), strict=True))[
            "采购合同党支部"
        ]
        == 90
    )
    refused(login, f"/dues/orgs/{world.branch.pk}/totals/export/", "other_secretary", "member")
    before = queries(client, f"{url}export/")
    for _ in range(4):
        declare(make_member(world.other_branch), "5000.00")
    assert queries(client, f"{url}export/") == before


# --- Study: ranking and materials ------------------------------------------------------


def _credit(person, points, title, on=TODAY):
    material = make_material(person.branch, title=title, assign_to=False)
    return CreditEntry.objects.create(
        person=person,
        rule=CreditRule.objects.get(event="read"),
        material=material,
        points=Decimal(points),
        earned_on=on,
    )


def test_the_ranking_exports_its_columns_period_and_organisation(world, login):
    _credit(world.member, "4", "五月学习")
    _credit(world.secretary, "2", "一月学习", on=datetime.date(2026, 1, 10))
    client = login("secretary")
    url = f"/study/ranking/?org={world.branch.pk}&period=month&at=2026-05"
    sheet = same_columns(client, url, url.replace("ranking/", "ranking/export/"))
    ranks = dict(zip(column(sheet, "姓名"), column(sheet, "积分"), strict=True))
    assert ranks["张党员"] == 4 and ranks["赵书记"] == 0
    year = sheet_of(client.get(f"/study/ranking/export/?org={world.branch.pk}&period=year&at=2026"))
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
    notice = notice_services.notice_create(
        organisation=world.branch, by=None, data=NoticeData(title, "请按时参加。")
    )
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
    sheet = same_columns(
        general, "/assessments/appraisal/2026/tally/", "/assessments/appraisal/2026/tally/export/"
    )
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


@pytest.mark.parametrize(
    "page_url, export_url",
    [
        ("/people/?status=full&page=1", "/people/export/?status=full"),
        ("/activities/documents/?category=rule", "/activities/documents/export/?category=rule"),
    ],
)
def test_the_export_button_carries_the_pages_filters(world, login, page_url, export_url):
    page = login("secretary").get(page_url).content.decode()
    assert f'href="{html.escape(export_url)}"' in page
    assert "导出 Excel" in page
