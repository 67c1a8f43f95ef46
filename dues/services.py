"""Writes for membership dues: declarations, payments, corrections, the month paid in full.

Every write is one transaction that locks the member's row, so two secretaries (or a
double click) cannot race; payment entries carry the form's token under a unique
constraint, so the same form posted twice records once. Entries are never changed:
a correction is a new entry.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person

from .models import (
    BRACKET_CATEGORIES,
    INCOME_CEILING,
    PAYMENT_CEILING,
    Category,
    Declaration,
    Payment,
)
from .months import month_of
from .rules import ZERO, Rules
from .selectors import ledger_people, ledger_rows


def _locked_member(person: Person) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("branch").get(pk=person.pk)
    )
    if not person.is_party_member or not person.is_active:
        raise ValidationError(
            _("%(name)s is not a party member; only party members pay dues.")
            % {"name": person.name},
            code="not_member",
        )
    if person.branch_id is None:
        raise ValidationError(
            _("%(name)s belongs to no branch.") % {"name": person.name}, code="no_branch"
        )
    return person


def _this_month() -> datetime.date:
    return month_of(timezone.localdate())


# --- Declarations -----------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationData:
    year: int
    from_month: int  # 1-12
    category: str
    monthly_income: Decimal


def declaration_validate(*, data: DeclarationData) -> None:
    """Refuse a declaration that cannot be right, with a message for each mistake."""
    errors = []
    this_year = timezone.localdate().year
    if not 2000 <= data.year <= this_year + 1:
        errors.append(
            ValidationError(
                _("Declare for a year between 2000 and %(year)d.") % {"year": this_year + 1},
                code="year",
            )
        )
    if not 1 <= data.from_month <= 12:
        errors.append(ValidationError(_("Choose a month from 1 to 12."), code="month"))
    if data.category not in Category.values:
        errors.append(ValidationError(_("Choose a category."), code="category"))
    income = data.monthly_income
    if income is None or income < 0:
        errors.append(
            ValidationError(_("The monthly income cannot be negative."), code="negative_income")
        )
    elif income > INCOME_CEILING:
        errors.append(
            ValidationError(
                _(
                    "A monthly after-tax income over %(ceiling)s yuan is not plausible; check "
                    "the figure (it is the monthly amount, in yuan)."
                )
                % {"ceiling": f"{INCOME_CEILING:,.0f}"},
                code="absurd_income",
            )
        )
    elif income.as_tuple().exponent < -2:
        errors.append(
            ValidationError(
                _("Give the income in yuan with at most two decimals."), code="precision"
            )
        )
    elif data.category in BRACKET_CATEGORIES and income == 0:
        errors.append(
            ValidationError(
                _(
                    "Declare the monthly after-tax income (the pension for a retiree); a member "
                    "without income is declared as low-income."
                ),
                code="zero_income",
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def declaration_record(
    *,
    person: Person,
    data: DeclarationData,
    by: AbstractBaseUser | None,
    on: datetime.date | None = None,
) -> Declaration:
    """Record a member's declared base, in force from a month.

    The yearly declaration usually takes effect in January; a re-declaration within
    the year is a new row from a later month (earlier months keep their base). Two
    declarations from the same month are refused: the committee corrects a typo in
    the admin, where the change is kept in the history.
    """
    declaration_validate(data=data)
    person = _locked_member(person)
    effective_from = datetime.date(data.year, data.from_month, 1)
    if Declaration.objects.filter(person=person, effective_from=effective_from).exists():
        raise ValidationError(
            _(
                "%(name)s already has a declaration in force from %(month)s; declare from a "
                "later month to change it."
            )
            % {"name": person.name, "month": f"{effective_from:%Y-%m}"},
            code="duplicate",
        )
    return Declaration.objects.create(
        person=person,
        year=data.year,
        effective_from=effective_from,
        category=data.category,
        monthly_income=data.monthly_income,
        declared_on=on or timezone.localdate(),
        declared_by=by,
    )


# --- Payments ---------------------------------------------------------------------------


def _validate_amount(amount: Decimal, *, allow_negative: bool = False) -> None:
    if amount is None or amount == 0 or (amount < 0 and not allow_negative):
        raise ValidationError(
            _("Enter an amount greater than zero.")
            if not allow_negative
            else _("Enter a non-zero amount (negative to take back)."),
            code="amount",
        )
    if abs(amount) > PAYMENT_CEILING:
        raise ValidationError(
            _("An entry over %(ceiling)s yuan is not plausible; check the amount.")
            % {"ceiling": f"{PAYMENT_CEILING:,.0f}"},
            code="absurd_amount",
        )
    if amount.as_tuple().exponent < -2:
        raise ValidationError(
            _("Give the amount in yuan with at most two decimals."), code="precision"
        )


def _validate_month(person: Person, month: datetime.date, paid_on: datetime.date) -> None:
    if month > _this_month():
        raise ValidationError(
            _("Dues cannot be recorded for a month that has not begun."), code="future_month"
        )
    if person.joined_party_on and month < month_of(person.joined_party_on):
        raise ValidationError(
            _("%(name)s was admitted in %(month)s and owes no dues before.")
            % {"name": person.name, "month": f"{person.joined_party_on:%Y-%m}"},
            code="before_admission",
        )
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."), code="paid_on")


def _create_once(**fields) -> tuple[Payment, bool]:
    """Insert the entry unless its token is there already; (entry, created)."""
    existing = Payment.objects.filter(token=fields["token"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Payment.objects.create(**fields), True
    except IntegrityError:  # the same form posted concurrently: the other one won
        return Payment.objects.get(token=fields["token"]), False


@transaction.atomic
def payment_record(
    *,
    person: Person,
    month: datetime.date,
    amount: Decimal,
    method: str,
    paid_on: datetime.date,
    by: AbstractBaseUser | None,
    token: uuid.UUID,
) -> tuple[Payment, bool]:
    """Record a member's payment for a month; (entry, whether this call created it).

    A member may pay more than due. The same `token` (one per rendered form) records
    once however often, or however concurrently, it is posted.
    """
    if token is None:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    _validate_amount(amount)
    if method not in Payment.Method.values:
        raise ValidationError(_("Choose how the dues were paid."), code="method")
    person = _locked_member(person)
    month = month_of(month)
    _validate_month(person, month, paid_on)
    return _create_once(
        person=person,
        branch_id=person.branch_id,
        month=month,
        amount=amount,
        method=method,
        paid_on=paid_on,
        recorded_by=by,
        token=token,
    )


@transaction.atomic
def payment_correct(
    *,
    original: Payment,
    amount: Decimal,
    reason: str,
    by: AbstractBaseUser | None,
    token: uuid.UUID,
    on: datetime.date | None = None,
) -> tuple[Payment, bool]:
    """Correct a payment by a new entry of `amount` (negative takes back, positive adds).

    The original is never changed. A correction cannot take back more than the
    payment and its earlier corrections add up to.
    """
    if token is None:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    if original.kind != Payment.Kind.PAYMENT:
        raise ValidationError(
            _("Correct the original payment, not a correction."), code="correct_correction"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    _validate_amount(amount, allow_negative=True)
    _locked_member(original.person)
    existing = Payment.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    so_far = original.amount + (
        original.corrections.aggregate(total=Sum("amount"))["total"] or ZERO
    )
    if so_far + amount < 0:
        raise ValidationError(
            _(
                "The correction would take back %(amount)s yuan, but only %(left)s yuan of "
                "this payment remains."
            )
            % {"amount": -amount, "left": so_far},
            code="too_much",
        )
    return _create_once(
        person_id=original.person_id,
        branch_id=original.branch_id,
        month=original.month,
        amount=amount,
        method=original.method,
        paid_on=on or timezone.localdate(),
        kind=Payment.Kind.CORRECTION,
        corrects=original,
        reason=reason,
        recorded_by=by,
        token=token,
    )


@transaction.atomic
def month_pay_all(
    *,
    branch: Organisation,
    month: datetime.date,
    method: str,
    paid_on: datetime.date,
    by: AbstractBaseUser | None,
    token: uuid.UUID,
) -> int:
    """Record every member of the branch who still owes for `month` as paid in full.

    All or nothing. Idempotent twice over: each entry's token derives from the form's
    token and the member, and the members' rows are locked while their balances are
    read, so a repeated or concurrent submit finds nothing left to pay. Returns how
    many entries this call created.
    """
    if token is None:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    if method not in Payment.Method.values:
        raise ValidationError(_("Choose how the dues were paid."), code="method")
    month = month_of(month)
    if month > _this_month():
        raise ValidationError(
            _("Dues cannot be recorded for a month that has not begun."), code="future_month"
        )
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."), code="paid_on")
    people = list(
        ledger_people(Person.objects.filter(branch=branch)).select_for_update(of=("self",))
    )
    created = 0
    for row in ledger_rows(people, month, rules=Rules.load(), with_entries=False):
        if not row.is_owing:
            continue
        _entry, made = _create_once(
            person=row.person,
            branch_id=branch.pk,
            month=month,
            amount=row.balance,
            method=method,
            paid_on=paid_on,
            recorded_by=by,
            token=uuid.uuid5(token, str(row.person.pk)),
        )
        created += made
    return created
