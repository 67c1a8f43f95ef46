"""The dues demo: every party member declared (all brackets, a retiree, a student),
eleven months paid, a few arrears in 计划招标党支部, this month open for its secretary
to record; a rerun adds nothing."""

import uuid
from decimal import Decimal

from django.test import Client

from branches.models import Organisation
from dues.models import Category, Declaration, Payment
from dues.months import add_months, month_of
from dues.rules import Rules
from members.models import Person
from tests.demo_data import load_demo


def test_the_demo_secretary_records_the_months_dues_and_sees_the_arrears(loaded):
    from django.utils import timezone

    this_month = month_of(timezone.localdate())
    members = Person.objects.party_members().active()
    assert not members.exclude(dues_declarations__isnull=False).exists()
    categories = set(Declaration.objects.values_list("category", flat=True))
    assert {Category.WORKING, Category.RETIRED, Category.STUDENT} <= categories
    rules = Rules.load()
    rates = {
        rules.due(category=d.category, income=d.monthly_income, month=this_month).rate
        for d in Declaration.objects.filter(category=Category.WORKING)
    }
    assert {Decimal("0.5"), Decimal("1.0"), Decimal("1.5"), Decimal("2.0")} <= rates
    assert not Payment.objects.filter(month=this_month).exists()
    assert Payment.objects.filter(month=add_months(this_month, -11)).exists()
    counts = (Declaration.objects.count(), Payment.objects.count())
    load_demo()
    assert (Declaration.objects.count(), Payment.objects.count()) == counts

    branch = Organisation.objects.get(name="计划招标党支部")
    client = Client()
    assert client.login(username="qianduan", password="Dangjian@2026")
    ledger = client.get(f"/dues/orgs/{branch.pk}/ledger/")
    assert ledger.status_code == 200
    rows = list(ledger.context["page"].object_list)
    assert rows and all(row.status == "unpaid" for row in rows if row.line)
    in_arrears = {row.person.name: row.arrears_months for row in rows if row.arrears}
    assert in_arrears.get("林晓雯") == 2 and len(in_arrears) >= 3
    response = client.post(
        f"/dues/orgs/{branch.pk}/ledger/pay-all/",
        {
            "month": f"{this_month:%Y-%m}",
            "method": "payroll",
            "paid_on": f"{timezone.localdate():%Y-%m-%d}",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    ledger = client.get(f"/dues/orgs/{branch.pk}/ledger/")
    rows = list(ledger.context["page"].object_list)
    assert all(row.status == "paid" for row in rows if row.line)
    assert ledger.context["totals"].arrears_members == len(in_arrears)
    arrears = client.get(f"/dues/orgs/{branch.pk}/arrears/")
    assert "林晓雯" in arrears.content.decode()

    member = Client()
    assert member.login(username="dangyuan", password="Dangjian@2026")
    mine = member.get("/dues/mine/")
    assert mine.status_code == 200 and len(mine.context["arrears"]) == 2
