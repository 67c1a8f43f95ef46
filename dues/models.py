"""Membership dues: the rules (bracket schedules and fixed amounts, edited by the
committee with the date they take effect), each member's declared base, and the
append-only payment entries of the collection ledger.

A month is stored as the date of its first day everywhere in this app.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person

# A monthly after-tax income above this is a typing error, not a salary.
INCOME_CEILING = Decimal("1000000.00")
# One payment entry above this is a typing error too (voluntary extra dues included).
PAYMENT_CEILING = Decimal("100000.00")
SOURCE = "中组部《关于中国共产党党费收缴、使用和管理的规定》(2008)"


class Category(models.TextChoices):
    """How a member's dues are worked out: a bracket schedule or a fixed amount."""

    WORKING = "working", _("Working member (after-tax salary)")
    RETIRED = "retired", _("Retired member (pension)")
    STUDENT = "student", _("Student")
    LOW_INCOME = "low_income", _("Low-income member")


BRACKET_CATEGORIES = (Category.WORKING, Category.RETIRED)
FIXED_CATEGORIES = (Category.STUDENT, Category.LOW_INCOME)


class BracketSchedule(models.Model):
    """The bracket table for working or retired members, in force from a date.

    The schedule in force for a month is the latest whose `effective_from` is on or
    before the first day of that month; the committee adds a new schedule when the
    rules change instead of editing the old one, so past months keep their amounts.
    """

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[(c.value, c.label) for c in BRACKET_CATEGORIES],
    )
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=200, default=SOURCE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "-effective_from"]
        verbose_name = _("dues bracket schedule")
        verbose_name_plural = _("dues bracket schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"],
                name="dues_one_schedule_per_category_and_date",
                violation_error_message=_(
                    "A schedule for this category already takes effect on this date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"


class Bracket(models.Model):
    """One row of a schedule: incomes up to `upper_bound` (inclusive; empty for the
    top row) pay `rate` percent of the whole income (not progressively)."""

    schedule = models.ForeignKey(
        BracketSchedule,
        on_delete=models.CASCADE,
        related_name="brackets",
        verbose_name=_("schedule"),
    )
    upper_bound = models.DecimalField(
        _("income up to (yuan, inclusive)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the top bracket."),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", models.F("upper_bound").asc(nulls_last=True)]
        verbose_name = _("dues bracket")
        verbose_name_plural = _("dues brackets")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100),
                name="dues_bracket_rate_is_a_percentage",
                violation_error_message=_("A rate is a percentage between 0 and 100."),
            ),
            models.UniqueConstraint(
                fields=["schedule"],
                condition=Q(upper_bound__isnull=True),
                name="dues_one_top_bracket_per_schedule",
                violation_error_message=_("A schedule has one top bracket (no upper bound)."),
            ),
        ]

    def __str__(self) -> str:
        return f"≤{self.upper_bound or '∞'}: {self.rate}%"


class FixedRate(models.Model):
    """A fixed monthly amount (students and low-income members), in force from a date."""

    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[(c.value, c.label) for c in FIXED_CATEGORIES],
    )
    amount = models.DecimalField(
        _("monthly amount (yuan)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=200, default=SOURCE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "-effective_from"]
        verbose_name = _("fixed dues amount")
        verbose_name_plural = _("fixed dues amounts")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"],
                name="dues_one_fixed_rate_per_category_and_date",
                violation_error_message=_(
                    "A fixed amount for this category already takes effect on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="dues_fixed_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount} ({self.effective_from:%Y-%m-%d})"


class Declaration(models.Model):
    """A member's declared base for dues: category and monthly after-tax income, in
    force from a month. Declared yearly; a re-declaration within the year is a new
    row in force from a later month, so earlier months keep their base."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="dues_declarations",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    effective_from = models.DateField(
        _("in force from (month)"), help_text=_("The first day of a month.")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    monthly_income = models.DecimalField(
        _("monthly after-tax income (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Salary after tax for working members, the pension for retirees."),
    )
    declared_on = models.DateField(_("declared on"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-effective_from"]
        verbose_name = _("dues declaration")
        verbose_name_plural = _("dues declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "effective_from"],
                name="dues_one_declaration_per_person_and_month",
                violation_error_message=_(
                    "This member already has a declaration in force from this month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0) & Q(monthly_income__lte=INCOME_CEILING),
                name="dues_declared_income_in_range",
                violation_error_message=_("The declared income is out of range."),
            ),
            models.CheckConstraint(
                condition=Q(effective_from__day=1) & Q(effective_from__year=models.F("year")),
                name="dues_declaration_from_a_month_of_its_year",
                violation_error_message=_(
                    "A declaration takes effect on the first day of a month of its year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.effective_from:%Y-%m}"


class PaymentQuerySet(models.QuerySet):
    def for_month(self, month) -> PaymentQuerySet:
        return self.filter(month=month)


class Payment(models.Model):
    """One entry of the collection ledger: a payment, or a correction of one.

    Entries are append-only: never updated or deleted (the database refuses both, see
    migration 0002); a mistake is put right by a correction, a new entry with a
    positive or negative amount, a reason and a reference to the entry it corrects.
    `token` comes from the form, so the same form posted twice records once.
    """

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")
        WECHAT = "wechat", _("WeChat Pay")
        PAYROLL = "payroll", _("Payroll deduction")

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CORRECTION = "correction", _("Correction")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("member")
    )
    # The member's branch when the entry was recorded: the admin scopes entries by it.
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="dues_payments",
        verbose_name=_("branch"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    paid_on = models.DateField(_("paid on"))
    kind = models.CharField(_("entry"), max_length=20, choices=Kind.choices, default=Kind.PAYMENT)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    token = models.UUIDField(_("form token"), unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["month", "recorded_at", "pk"]
        verbose_name = _("dues entry")
        verbose_name_plural = _("dues entries")
        indexes = [models.Index(fields=["person", "month"], name="dues_payment_person_month")]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="dues_payment_month_is_first_day",
                violation_error_message=_("A month is stored as its first day."),
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", amount__gt=0, corrects__isnull=True)
                | (Q(kind="correction", corrects__isnull=False) & ~Q(amount=0)),
                name="dues_payment_positive_correction_references",
                violation_error_message=_(
                    "A payment is a positive amount; a correction refers to an entry and "
                    "changes it by a non-zero amount."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Dues entries are append-only; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Dues entries are append-only; record a correction instead.")
