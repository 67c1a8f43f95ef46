"""Shared set-up for the dues tests (no tests here): a fixed today, declarations, payments."""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model

from dues.services import DeclarationData, declaration_record, payment_record

TODAY = datetime.date(2026, 5, 20)
MAY = datetime.date(2026, 5, 1)
JAN = datetime.date(2026, 1, 1)


def user(username: str):
    return get_user_model().objects.get(username=username)


def declare(person, income="6000.00", category="working", *, year=2026, from_month=1, by=None):
    return declaration_record(
        person=person,
        by=by,
        data=DeclarationData(
            year=year, from_month=from_month, category=category, monthly_income=Decimal(income)
        ),
    )


def pay(person, month, amount, *, by=None, token=None, method="cash", paid_on=None):
    return payment_record(
        person=person,
        month=month,
        amount=Decimal(amount),
        method=method,
        paid_on=paid_on or TODAY,
        by=by,
        token=token or uuid.uuid4(),
    )
