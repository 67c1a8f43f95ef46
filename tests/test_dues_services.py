"""Declarations, payments and corrections: bad input refused with clear messages and
nothing half-saved, a double (or concurrent) submit recorded once, corrections as new
entries, the database refusing any change to an entry."""

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from dues.models import Declaration, Payment
from dues.selectors import ledger_rows
from dues.services import month_pay_all, payment_correct
from members.models import Person
from tests.concurrency import at_once
from tests.test_dues_helpers import JAN, MAY, TODAY, declare, pay, user


@pytest.fixture(autouse=True)
def frozen(world):
    with (
        time_machine.travel(datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC), tick=False),
        translation.override("en"),
    ):
        yield


@pytest.mark.parametrize(
    ("income", "message"),
    [
        ("-1.00", "cannot be negative"),
        ("-0.01", "cannot be negative"),
        ("1000000.01", "is not plausible"),
        ("99999999999", "is not plausible"),
        ("3000.005", "at most two decimals"),
        ("0", "without income is declared as low-income"),
    ],
)
def test_a_negative_or_absurd_income_is_refused_and_nothing_saved(world, income, message):
    with pytest.raises(ValidationError) as error:
        declare(world.member, income)
    assert message in " ".join(error.value.messages)
    assert not Declaration.objects.exists()


def test_the_ceiling_itself_and_a_zero_income_student_are_accepted(world):
    declare(world.member, "1000000.00")
    declare(world.secretary, "0", "student")
    assert Declaration.objects.count() == 2


def test_a_re_declaration_supersedes_from_its_month_and_not_before(world):
    declare(world.member, "4000.00")  # 1% from January: 40.00
    declare(world.member, "12000.00", from_month=4)  # 2% from April: 240.00
    rows = {m: ledger_rows([world.member], datetime.date(2026, m, 1))[0] for m in (3, 4, 5)}
    assert rows[3].due == Decimal("40.00")
    assert rows[4].due == Decimal("240.00")
    assert rows[5].due == Decimal("240.00")
    with pytest.raises(ValidationError, match="already has a declaration"):
        declare(world.member, "5000.00", from_month=4)
    assert Declaration.objects.count() == 2


def test_only_party_members_declare_and_pay(world):
    with pytest.raises(ValidationError, match="not a party member"):
        declare(world.masses)
    with pytest.raises(ValidationError, match="not a party member"):
        pay(world.masses, MAY, "10")
    assert not Payment.objects.exists()


def test_probationary_members_owe_from_the_month_of_admission(world):
    world.member.status = Person.Status.PROBATIONARY
    world.member.joined_party_on = datetime.date(2026, 3, 18)
    world.member.save()
    declare(world.member, "6000.00")
    assert ledger_rows([world.member], datetime.date(2026, 2, 1))[0].status == "not_owed"
    row = ledger_rows([world.member], MAY)[0]
    assert [line.month.month for line in row.arrears] == [3, 4]
    with pytest.raises(ValidationError, match="owes no dues before"):
        pay(world.member, datetime.date(2026, 2, 1), "90")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "greater than zero"),
        ("-5", "greater than zero"),
        ("100000.01", "not plausible"),
        ("1.001", "at most two decimals"),
    ],
)
def test_a_bad_amount_is_refused(world, amount, message):
    declare(world.member)
    with pytest.raises(ValidationError, match=message):
        pay(world.member, MAY, amount)
    assert not Payment.objects.exists()


def test_a_future_month_or_payment_date_is_refused(world):
    declare(world.member)
    with pytest.raises(ValidationError, match="has not begun"):
        pay(world.member, datetime.date(2026, 6, 1), "90")
    with pytest.raises(ValidationError, match="future"):
        pay(world.member, MAY, "90", paid_on=TODAY + datetime.timedelta(days=1))
    assert not Payment.objects.exists()


def test_a_member_may_pay_more_than_due(world):
    declare(world.member, "6000.00")  # 90.00
    pay(world.member, MAY, "200.00")
    row = ledger_rows([world.member], MAY)[0]
    assert row.status == "paid" and row.balance == Decimal("-110.00")


def test_the_same_form_posted_twice_records_once(world):
    declare(world.member)
    token = uuid.uuid4()
    first, created = pay(world.member, MAY, "90", token=token)
    again, created_again = pay(world.member, MAY, "90", token=token)
    assert created and not created_again and first.pk == again.pk
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_posted_concurrently_records_once(world):
    declare(world.member)
    token = uuid.uuid4()
    results, errors = at_once(*[lambda: pay(world.member, MAY, "90", token=token)] * 3)
    assert not errors
    assert sorted(created for _, created in results) == [False, False, True]
    assert Payment.objects.count() == 1


def test_a_correction_is_a_new_entry_and_the_original_stays(world):
    declare(world.member, "6000.00")
    original, _ = pay(world.member, MAY, "900.00")  # a typo: 900 for 90
    correction, created = payment_correct(
        original=original, amount=Decimal("-810.00"), reason="多录一位", by=None, token=uuid.uuid4()
    )
    assert created and correction.corrects == original and correction.kind == "correction"
    original.refresh_from_db()
    assert original.amount == Decimal("900.00")
    assert ledger_rows([world.member], MAY)[0].paid == Decimal("90.00")
    with pytest.raises(ValidationError, match=r"only 90\.00 yuan"):
        payment_correct(
            original=original, amount=Decimal("-90.01"), reason="x", by=None, token=uuid.uuid4()
        )
    with pytest.raises(ValidationError, match="reason"):
        payment_correct(
            original=original, amount=Decimal("1"), reason=" ", by=None, token=uuid.uuid4()
        )
    with pytest.raises(ValidationError, match="original payment"):
        payment_correct(
            original=correction, amount=Decimal("1"), reason="x", by=None, token=uuid.uuid4()
        )
    assert Payment.objects.count() == 2


def test_the_database_refuses_to_change_or_delete_an_entry(world):
    declare(world.member)
    entry, _ = pay(world.member, MAY, "90")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    for change in (
        lambda: Payment.objects.filter(pk=entry.pk).update(amount=1),
        lambda: Payment.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert Payment.objects.get().amount == Decimal("90.00")


def test_pay_all_pays_the_balance_of_each_member_once(world):
    declare(world.member, "6000.00")  # 90.00
    declare(world.secretary, "2000.00")  # 10.00
    declare(world.group_leader, "0", "student")  # 0.20
    pay(world.secretary, MAY, "4.00")
    token = uuid.uuid4()
    created = month_pay_all(
        branch=world.branch,
        month=MAY,
        method="payroll",
        paid_on=TODAY,
        by=user("secretary"),
        token=token,
    )
    assert created == 3
    rows = ledger_rows([world.member, world.secretary, world.group_leader], MAY)
    assert [r.status for r in rows] == ["paid"] * 3
    assert Payment.objects.get(person=world.secretary, amount=Decimal("6.00"))
    # The same form again, or a new one: nothing left to pay.
    assert (
        month_pay_all(
            branch=world.branch, month=MAY, method="payroll", paid_on=TODAY, by=None, token=token
        )
        == 0
    )
    assert (
        month_pay_all(
            branch=world.branch,
            month=MAY,
            method="payroll",
            paid_on=TODAY,
            by=None,
            token=uuid.uuid4(),
        )
        == 0
    )
    assert Payment.objects.count() == 4
    # Earlier months stay in arrears: pay-all is about the month chosen.
    assert ledger_rows([world.member], MAY)[0].arrears_months == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pay_all_submitted_concurrently_pays_once(world):
    declare(world.member, "6000.00")
    declare(world.secretary, "2000.00")

    def run():
        return month_pay_all(
            branch=world.branch,
            month=MAY,
            method="cash",
            paid_on=TODAY,
            by=None,
            token=uuid.uuid4(),
        )

    results, errors = at_once(run, run)
    assert not errors
    assert sorted(results) == [0, 2]
    assert Payment.objects.count() == 2


def test_pay_all_is_all_or_nothing(world, monkeypatch):
    declare(world.member, "6000.00")
    declare(world.secretary, "2000.00")
    from dues import services

    real = services._create_once
    calls = []

    def fail_second(**fields):
        calls.append(fields)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(**fields)

    monkeypatch.setattr(services, "_create_once", fail_second)
    with pytest.raises(RuntimeError):
        month_pay_all(
            branch=world.branch,
            month=MAY,
            method="cash",
            paid_on=TODAY,
            by=None,
            token=uuid.uuid4(),
        )
    assert not Payment.objects.exists()


def test_arrears_list_the_months_owed(world):
    declare(world.member, "6000.00")
    for month in (1, 2, 4):
        pay(world.member, datetime.date(2026, month, 1), "90")
    pay(world.member, datetime.date(2026, 3, 1), "50")
    row = ledger_rows([world.member], MAY)[0]
    assert [(line.month.month, line.balance) for line in row.arrears] == [(3, Decimal("40.00"))]
    assert row.status == "unpaid" and row.due == Decimal("90.00")
    assert ledger_rows([world.member], JAN)[0].arrears == []
