"""The membership dues demo (called at the end of `members.demo.load()`).

Every party member of the demo declares a base, with incomes spread over every
bracket (a retiree on a pension and a student among them), and has paid the eleven
months before this month, except a few members of 计划招标党支部 who are in arrears
(林晓雯, the `dangyuan` login, among them). This month is left unpaid, so the
branch secretary (`qianduan`) can record it.

The months follow today's date (the ledger is about the current month); everything
else is arithmetic on each member's position. Rows are keyed (declarations by member
and month, payments by a token derived from member and month), so a second load on
the same day creates nothing. Everything goes through `dues.services`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from members.models import Person, Post

from . import services
from .models import Category, Declaration, Payment
from .months import add_months, month_of, months_from
from .rules import Rules
from .selectors import dues_start

NAMESPACE = uuid.UUID("5b1f0f3e-6a52-4c59-9d64-2f5a1c0d7e11")
# Monthly after-tax incomes, cycled over the members: every bracket and its edges.
INCOMES = (
    "2800.00",
    "3000.00",
    "4650.00",
    "5000.00",
    "6800.00",
    "9500.00",
    "10000.00",
    "12600.00",
    "7300.00",
    "3850.00",
    "5400.00",
    "15800.00",
)
RETIREES = {3: "4800.00", 17: "5600.00"}  # member position -> monthly pension
STUDENTS = {11}
LOW_INCOME = {29}
ARREARS_BRANCH = "计划招标党支部"
# Members of that branch in arrears: name or position in the branch -> months unpaid
# (the latest months before this one).
ARREARS = {"林晓雯": 2, 3: 1, 6: 3}
METHODS = (
    Payment.Method.PAYROLL,
    Payment.Method.PAYROLL,
    Payment.Method.WECHAT,
    Payment.Method.TRANSFER,
    Payment.Method.CASH,
)


def _category_and_income(position: int) -> tuple[str, Decimal]:
    if position in RETIREES:
        return Category.RETIRED, Decimal(RETIREES[position])
    if position in STUDENTS:
        return Category.STUDENT, Decimal("0.00")
    if position in LOW_INCOME:
        return Category.LOW_INCOME, Decimal("1200.00")
    return Category.WORKING, Decimal(INCOMES[position % len(INCOMES)])


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    created = report.created
    for what in ("dues declarations", "dues payments"):
        created[what] += 0
    today = timezone.localdate()
    this_month = month_of(today)
    first = add_months(this_month, -11)
    members = list(
        Person.objects.party_members()
        .active()
        .filter(branch__isnull=False)
        .select_related("branch")
        .order_by("employee_no", "pk")
    )
    secretaries = {
        post.organisation_id: post.person.user
        for post in Post.objects.current()
        .filter(role=Post.Role.SECRETARY)
        .select_related("person__user")
    }
    rules = Rules.load()
    in_arrears: dict[int, int] = {}
    branch_position = 0
    for person in members:
        if person.branch.name == ARREARS_BRANCH:
            branch_position += 1
            months = ARREARS.get(person.name) or ARREARS.get(branch_position)
            if months:
                in_arrears[person.pk] = months
    for position, person in enumerate(members):
        by = secretaries.get(person.branch_id)
        category, income = _category_and_income(position)
        # The declaration in force from the first month shown, and the yearly one for
        # this year when the window starts last year.
        for start in sorted({first, this_month.replace(month=1)}):
            if Declaration.objects.filter(person=person, effective_from=start).exists():
                continue
            services.declaration_record(
                person=person,
                by=by,
                on=min(start + datetime.timedelta(days=9), today),
                data=services.DeclarationData(
                    year=start.year,
                    from_month=start.month,
                    category=category,
                    monthly_income=income,
                ),
            )
            created["dues declarations"] += 1
        declarations = list(person.dues_declarations.order_by("effective_from"))
        start = dues_start(person, declarations) or first
        unpaid_from = add_months(this_month, -in_arrears.get(person.pk, 0))
        for month in months_from(max(start, first), unpaid_from):
            declaration = [d for d in declarations if d.effective_from <= month][-1]
            due = rules.due(
                category=declaration.category, income=declaration.monthly_income, month=month
            )
            if due is None or due.amount <= 0:
                continue
            _entry, made = services.payment_record(
                person=person,
                month=month,
                amount=due.amount,
                method=METHODS[(position + month.month) % len(METHODS)],
                paid_on=min(month.replace(day=15), today),
                by=by,
                token=uuid.uuid5(NAMESPACE, f"{person.employee_no or person.pk}:{month}"),
            )
            created["dues payments"] += made
