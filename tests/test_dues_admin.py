"""The dues admin: each change list and change page opens; brackets are checked when
a schedule is saved; payment entries cannot be added, changed or deleted there."""

import datetime
import uuid
from decimal import Decimal

import pytest

from dues.models import BracketSchedule, Declaration, FixedRate, Payment
from dues.services import payment_record
from tests.admin_helpers import make_staff, url
from tests.test_dues_helpers import declare


@pytest.fixture
def rows(world):
    declaration = declare(world.member, "6000.00")
    entry, _ = payment_record(
        person=world.member,
        month=datetime.date(2026, 1, 1),
        amount=Decimal("90"),
        method="cash",
        paid_on=datetime.date(2026, 1, 20),
        by=None,
        token=uuid.uuid4(),
    )
    return {
        Declaration: declaration,
        Payment: entry,
        BracketSchedule: BracketSchedule.objects.first(),
        FixedRate: FixedRate.objects.first(),
    }


def test_every_dues_admin_page_opens(rows, superuser):
    for model, obj in rows.items():
        assert superuser.get(url(model, "changelist")).status_code == 200
        assert superuser.get(url(model, "change", obj.pk)).status_code == 200


def test_payment_entries_are_read_only_in_the_admin(rows, superuser):
    entry = rows[Payment]
    assert superuser.get(url(Payment, "add")).status_code == 403
    assert superuser.get(url(Payment, "delete", entry.pk)).status_code == 403
    superuser.post(url(Payment, "change", entry.pk), {"amount": "1"})
    entry = Payment.objects.get(pk=entry.pk)
    assert entry.amount == Decimal("90.00")


def _schedule_post(brackets):
    data = {
        "name": "公司标准",
        "category": "working",
        "effective_from": "2027-01-01",
        "source": "公司党委文件",
        "brackets-TOTAL_FORMS": str(len(brackets)),
        "brackets-INITIAL_FORMS": "0",
        "brackets-MIN_NUM_FORMS": "1",
        "brackets-MAX_NUM_FORMS": "1000",
    }
    for i, (upper, rate) in enumerate(brackets):
        data[f"brackets-{i}-upper_bound"] = upper
        data[f"brackets-{i}-rate"] = rate
    return data


def test_a_schedule_needs_one_top_bracket_and_distinct_bounds(world, superuser):
    add = url(BracketSchedule, "add")
    for bad in (
        [("3000", "0.5"), ("5000", "1")],
        [("3000", "0.5"), ("", "1"), ("", "2")],
        [("3000", "0.5"), ("3000", "1"), ("", "2")],
        [("", "120")],
    ):
        response = superuser.post(add, _schedule_post(bad))
        assert response.status_code == 200, bad
    assert BracketSchedule.objects.count() == 2  # the seeded ones
    response = superuser.post(add, _schedule_post([("4000", "0.6"), ("", "1.2")]))
    assert response.status_code == 302
    assert BracketSchedule.objects.get(effective_from="2027-01-01").brackets.count() == 2


def test_another_branchs_secretary_sees_none_of_its_entries_in_the_admin(rows, world, login):
    make_staff("other_secretary")
    response = login("other_secretary").get(url(Payment, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
