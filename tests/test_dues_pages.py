"""The dues pages: who sees what (the role matrix), recording through the forms with
clear messages, a member seeing only their own dues, the Excel ledger, the panels."""

import datetime
import uuid
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from dues.models import Declaration, Payment
from tests.test_dues_helpers import MAY, declare, pay


@pytest.fixture(autouse=True)
def frozen(world, settings):
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def declared(world):
    declare(world.member, "6000.00")
    declare(world.secretary, "3000.00")
    declare(world.other_member, "12000.00")
    return world


def urls(world) -> dict[str, str]:
    return {
        "ledger": f"/dues/orgs/{world.branch.pk}/ledger/",
        "export": f"/dues/orgs/{world.branch.pk}/ledger/export/",
        "arrears": f"/dues/orgs/{world.branch.pk}/arrears/",
        "totals": f"/dues/orgs/{world.general.pk}/totals/",
        "member": f"/dues/people/{world.member.pk}/",
        "pay": f"/dues/people/{world.member.pk}/pay/",
        "declare": f"/dues/people/{world.member.pk}/declare/",
        "person_panel": f"/dues/panel/person/{world.member.pk}/",
        "org_panel": f"/dues/panel/org/{world.branch.pk}/",
    }


# page -> expected status per persona
MATRIX = {
    "ledger": {
        "member": 404,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "export": {
        "member": 404,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "arrears": {
        "member": 404,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "totals": {
        "member": 404,
        "other_secretary": 404,
        "secretary": 404,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "member": {
        "member": 200,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "pay": {
        "member": 403,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "declare": {
        "member": 200,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "person_panel": {
        "member": 200,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
    "org_panel": {
        "member": 404,
        "other_secretary": 404,
        "secretary": 200,
        "general": 200,
        "committee": 200,
        "unlinked": 404,
    },
}


@pytest.mark.parametrize("target", list(MATRIX))
def test_the_role_matrix(declared, login, target):
    url = urls(declared)[target]
    response = login("anonymous").get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    for persona, status in MATRIX[target].items():
        assert login(persona).get(url).status_code == status, (persona, target)


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("secretary", "/ledger/"),
        ("general", "/totals/"),
        ("committee", "/totals/"),
        ("member", "/dues/mine/"),
        ("superuser", "/totals/"),
    ],
)
def test_the_landing_page_follows_the_role(world, login, persona, lands_on):
    response = login(persona).get("/dues/")
    assert response.status_code == 302 and lands_on in response["Location"]


def test_an_unlinked_login_sees_an_empty_state(world, login):
    for url in ("/dues/", "/dues/mine/"):
        response = login("unlinked").get(url)
        assert response.status_code == 200
        assert b"not linked" in response.content


def test_a_member_sees_only_their_own_dues(declared, login):
    pay(declared.member, datetime.date(2026, 1, 1), "90.00")
    pay(declared.other_member, datetime.date(2026, 1, 1), "240.00")
    client = login("member")
    page = client.get("/dues/mine/")
    assert page.status_code == 200
    assert page.context["person"] == declared.member
    assert [e.person for e in page.context["entries"]] == [declared.member]
    assert len(page.context["arrears"]) == 3  # February to April
    assert [line.month.month for line in page.context["lines"]] == [1, 2, 3, 4, 5]  # no future
    assert client.get(f"/dues/people/{declared.other_member.pk}/").status_code == 404
    assert client.get(f"/dues/people/{declared.secretary.pk}/").status_code == 404
    entry = Payment.objects.get(person=declared.member)
    assert client.get(f"/dues/entries/{entry.pk}/correct/").status_code == 404


def test_the_secretary_records_the_months_dues_and_sees_the_arrears(declared, login):
    client = login("secretary")
    page = client.get(urls(declared)["ledger"])
    rows = {r.person.name: r for r in page.context["page"].object_list}
    assert rows["张党员"].due == Decimal("90.00") and rows["张党员"].arrears_months == 4
    form = client.get(urls(declared)["pay"] + "?month=2026-05")
    token = form.context["form"].initial["token"]
    assert form.context["form"].initial["amount"] == Decimal("90.00")
    data = {
        "month": "2026-05",
        "amount": "90.00",
        "method": "wechat",
        "paid_on": "2026-05-20",
        "token": str(token),
    }
    assert client.post(urls(declared)["pay"], data).status_code == 302
    assert client.post(urls(declared)["pay"], data).status_code == 302  # double submit
    assert Payment.objects.filter(person=declared.member).count() == 1
    page = client.get(urls(declared)["ledger"])
    rows = {r.person.name: r for r in page.context["page"].object_list}
    assert rows["张党员"].status == "paid"
    assert rows["张党员"].last_entry.method == "wechat"
    arrears = client.get(urls(declared)["arrears"])
    names = [r.person.name for r in arrears.context["page"].object_list]
    assert "张党员" in names and "赵书记" in names
    assert b"2026-01" in arrears.content


def test_a_bad_payment_shows_a_clear_message_and_saves_nothing(declared, login):
    client = login("secretary")
    response = client.post(
        urls(declared)["pay"],
        {
            "month": "2026-05",
            "amount": "-5",
            "method": "cash",
            "paid_on": "2026-05-20",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "Enter an amount greater than zero." in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("income", "message"),
    [
        ("-3000", "The monthly income cannot be negative."),
        ("50000000", "is not plausible"),
    ],
)
def test_a_bad_declaration_shows_a_clear_message_and_saves_nothing(world, login, income, message):
    response = login("member").post(
        f"/dues/people/{world.member.pk}/declare/",
        {"year": "2026", "from_month": "1", "category": "working", "monthly_income": income},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_member_declares_their_own_base(world, login):
    response = login("member").post(
        f"/dues/people/{world.member.pk}/declare/",
        {"year": "2026", "from_month": "1", "category": "working", "monthly_income": "5000.01"},
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.person == world.member and declaration.declared_by.username == "member"


def test_pay_all_from_the_ledger_is_idempotent(declared, login):
    client = login("secretary")
    token = str(uuid.uuid4())
    data = {"month": "2026-05", "method": "payroll", "paid_on": "2026-05-20", "token": token}
    url = f"/dues/orgs/{declared.branch.pk}/ledger/pay-all/"
    client.post(url, data)
    client.post(url, data)
    assert Payment.objects.filter(month=MAY).count() == 2  # member and secretary
    assert login("member").post(url, data).status_code == 404
    assert login("other_secretary").post(url, data).status_code == 404


def test_the_excel_ledger_has_the_pages_columns_and_filters(declared, login):
    pay(declared.member, MAY, "90.00", method="payroll")
    client = login("secretary")
    response = client.get(urls(declared)["export"] + "?month=2026-05")
    assert (
        "党费收缴台账" in response["Content-Disposition"]
        or "%E5%85%9A" in response["Content-Disposition"]
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert "党费收缴台账" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers[:9] == [
        "序号",
        "姓名",
        "政治面貌",
        "类别",
        "缴费基数（元）",
        "缴纳比例/标准",
        "应缴（元）",
        "实缴（元）",
        "差额（元）",
    ]
    body = {
        row[1]: row
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if isinstance(row[0], int)
    }
    assert body["张党员"][6] == 90 and body["张党员"][7] == 90 and body["张党员"][9] == "工资代扣"
    assert body["赵书记"][6] == 15 and body["赵书记"][11] == 4
    owing = client.get(urls(declared)["export"] + "?month=2026-05&status=owing")
    names = [
        r[1]
        for r in load_workbook(BytesIO(owing.content)).active.iter_rows(min_row=3, values_only=True)
        if isinstance(r[0], int)
    ]
    assert names == ["赵书记"]


def test_totals_over_a_subtree_drill_down_by_child(declared, login):
    pay(declared.member, MAY, "90.00")
    pay(declared.other_member, MAY, "100.00")
    response = login("general").get(urls(declared)["totals"] + "?month=2026-05")
    overall = response.context["overall"]
    assert overall.due == Decimal("345.00")  # 90 + 15 + 240
    assert overall.paid == Decimal("190.00")
    children = {t.organisation.name: t for t in response.context["children"]}
    assert children["采购合同党支部"].paid == Decimal("90.00")
    assert children["仓储配送党支部"].due == Decimal("240.00")
    assert f"/dues/orgs/{declared.branch.pk}/ledger/" in response.content.decode()
    committee = login("committee").get(f"/dues/orgs/{declared.committee.pk}/totals/?month=2026-05")
    assert committee.context["overall"].paid == Decimal("190.00")


def test_panels_show_this_months_figures(declared, login):
    pay(declared.member, MAY, "90.00")
    panel = login("member").get(urls(declared)["person_panel"])
    assert panel.context["row"].paid == Decimal("90.00")
    org = login("secretary").get(urls(declared)["org_panel"])
    assert org.context["totals"].paid_members == 1 and org.context["totals"].owing_members == 2
    overview = login("committee").get("/dues/panel/overview/")
    assert overview.context["totals"].paid == Decimal("90.00")
    assert login("member").get("/dues/panel/overview/").content == b""


def test_a_correction_through_the_page(declared, login):
    entry, _ = pay(declared.member, MAY, "900.00")
    client = login("secretary")
    url = f"/dues/entries/{entry.pk}/correct/"
    token = str(client.get(url).context["form"].initial["token"])
    response = client.post(url, {"amount": "-810.00", "reason": "多录", "token": token})
    assert response.status_code == 302
    client.post(url, {"amount": "-810.00", "reason": "多录", "token": token})
    assert Payment.objects.filter(kind="correction").count() == 1
    response = client.post(url, {"amount": "-100.00", "reason": "", "token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert login("other_secretary").get(url).status_code == 404
