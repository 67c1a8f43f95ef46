"""The dues brackets at every boundary, the rounding, the fixed amounts and the dates
from which the committee's schedules take effect."""

import datetime
from decimal import Decimal

import pytest

from dues.models import Bracket, BracketSchedule, Category, FixedRate
from dues.rules import Rules

MAY = datetime.date(2026, 5, 1)


@pytest.mark.parametrize(
    ("income", "rate", "amount"),
    [
        ("0.01", "0.5", "0.00"),
        ("2999.99", "0.5", "15.00"),  # 14.99995 rounds half up to the fen
        ("3000.00", "0.5", "15.00"),  # an upper bound is inclusive
        ("3000.01", "1.0", "30.00"),
        ("5000.00", "1.0", "50.00"),
        ("5000.01", "1.5", "75.00"),
        ("10000.00", "1.5", "150.00"),
        ("10000.01", "2.0", "200.00"),
        ("25000.00", "2.0", "500.00"),
        ("3333.33", "1.0", "33.33"),
        ("4321.50", "1.0", "43.22"),  # 43.215 -> 43.22 (half up, not banker's)
    ],
)
def test_working_members_pay_the_whole_income_at_its_brackets_rate(db, income, rate, amount):
    due = Rules.load().due(category=Category.WORKING, income=Decimal(income), month=MAY)
    assert due.rate == Decimal(rate)
    assert due.amount == Decimal(amount)
    assert due.base == Decimal(income)
    assert not due.fixed
    assert "党费收缴" in due.source


@pytest.mark.parametrize(
    ("income", "rate", "amount"),
    [
        ("4999.99", "0.5", "25.00"),
        ("5000.00", "0.5", "25.00"),
        ("5000.01", "1.0", "50.00"),
        ("8000.00", "1.0", "80.00"),
    ],
)
def test_retirees_pay_on_the_pension_at_its_brackets_rate(db, income, rate, amount):
    due = Rules.load().due(category=Category.RETIRED, income=Decimal(income), month=MAY)
    assert (due.rate, due.amount) == (Decimal(rate), Decimal(amount))


@pytest.mark.parametrize("category", [Category.STUDENT, Category.LOW_INCOME])
def test_students_and_low_income_members_pay_a_fixed_amount(db, category):
    for income in ("0", "2500.00", "12000.00"):
        due = Rules.load().due(category=category, income=Decimal(income), month=MAY)
        assert due.fixed and due.amount == Decimal("0.20") and due.rate is None


def test_a_new_schedule_applies_from_the_month_it_takes_effect(db):
    schedule = BracketSchedule.objects.create(
        name="公司标准", category=Category.WORKING, effective_from=datetime.date(2026, 7, 1)
    )
    Bracket.objects.create(schedule=schedule, upper_bound=Decimal("6000"), rate=Decimal("1"))
    Bracket.objects.create(schedule=schedule, upper_bound=None, rate=Decimal("3"))
    FixedRate.objects.create(
        category=Category.STUDENT, amount=Decimal("0.50"), effective_from=datetime.date(2026, 7, 1)
    )
    rules = Rules.load()
    income = Decimal("5500.00")
    june = rules.due(category=Category.WORKING, income=income, month=datetime.date(2026, 6, 1))
    july = rules.due(category=Category.WORKING, income=income, month=datetime.date(2026, 7, 1))
    assert june.amount == Decimal("82.50")  # the 2008 schedule: 1.5%
    assert july.amount == Decimal("55.00")  # the new one: 1%
    assert rules.due(
        category=Category.WORKING, income=Decimal("6000.01"), month=datetime.date(2026, 8, 1)
    ).amount == Decimal("180.00")
    assert rules.due(
        category=Category.STUDENT, income=ZERO, month=datetime.date(2026, 6, 1)
    ).amount == Decimal("0.20")
    assert rules.due(
        category=Category.STUDENT, income=ZERO, month=datetime.date(2026, 7, 1)
    ).amount == Decimal("0.50")


def test_no_rule_before_the_first_schedule(db):
    rules = Rules.load()
    assert (
        rules.due(category=Category.WORKING, income=Decimal("100"), month=datetime.date(2000, 1, 1))
        is None
    )


ZERO = Decimal("0")
