"""Reads for the dues ledger: what each member owes and paid, month by month.

Dues are not stored per month: they follow from the declaration in force and the rules
in force, so they are worked out in Python from rows read in a fixed number of
queries (people, their declarations, the rules, the payment sums), whatever the number
of members or months. A member owes dues from the month of their first declaration,
or from the month the branch admitted them if that is later (probationary members
pay from admission); only current party members (probationary and full) are listed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from branches.models import Organisation
from members.models import Person

from .models import Declaration, Payment
from .months import add_months, month_of, months_from
from .rules import ZERO, Due, Rules


@dataclass
class MonthLine:
    """One member's dues for one month."""

    month: datetime.date
    declaration: Declaration | None
    due: Due | None
    paid: Decimal = ZERO

    @property
    def owed(self) -> Decimal:
        return self.due.amount if self.due else ZERO

    @property
    def balance(self) -> Decimal:
        """What is still owed for the month (negative when more was paid)."""
        return self.owed - self.paid

    @property
    def is_owing(self) -> bool:
        return self.due is not None and self.balance > 0


@dataclass
class LedgerRow:
    """A member's line in a month's ledger, with their arrears before that month."""

    person: Person
    month: datetime.date
    line: MonthLine | None  # None: the member owes nothing yet for this month
    arrears: list[MonthLine] = field(default_factory=list)
    entries: list[Payment] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.line is None:
            return "not_owed"
        if self.line.declaration is None:
            return "no_declaration"
        if self.line.due is None:
            return "no_rule"
        if self.line.paid <= 0 and self.line.owed > 0:
            return "unpaid"
        return "partly_paid" if self.line.is_owing else "paid"

    @property
    def due(self) -> Decimal:
        return self.line.owed if self.line else ZERO

    @property
    def paid(self) -> Decimal:
        return self.line.paid if self.line else ZERO

    @property
    def balance(self) -> Decimal:
        return self.line.balance if self.line else ZERO

    @property
    def is_owing(self) -> bool:
        return bool(self.line and self.line.is_owing)

    @property
    def arrears_months(self) -> int:
        return len(self.arrears)

    @property
    def arrears_amount(self) -> Decimal:
        return sum((line.balance for line in self.arrears), ZERO)

    @property
    def last_entry(self) -> Payment | None:
        payments = [e for e in self.entries if e.kind == Payment.Kind.PAYMENT]
        return payments[-1] if payments else None


def dues_start(person: Person, declarations: list[Declaration]) -> datetime.date | None:
    """The first month a member owes dues: their first declaration's month, or the
    month of admission if later. None when nothing has been declared."""
    if not declarations:
        return None
    start = declarations[0].effective_from
    if person.joined_party_on:
        start = max(start, month_of(person.joined_party_on))
    return start


def month_lines(
    person: Person,
    declarations: list[Declaration],
    paid: dict[datetime.date, Decimal],
    rules: Rules,
    *,
    until: datetime.date,
) -> list[MonthLine]:
    """The member's months from their dues start up to and including `until`.

    `declarations` oldest first; `paid` the sum of entries per month.
    """
    start = dues_start(person, declarations)
    lines: list[MonthLine] = []
    if start is None:
        return lines
    index = 0
    for month in months_from(start, add_months(until, 1)):
        while index + 1 < len(declarations) and declarations[index + 1].effective_from <= month:
            index += 1
        declaration = declarations[index]
        due = rules.due(
            category=declaration.category, income=declaration.monthly_income, month=month
        )
        lines.append(MonthLine(month, declaration, due, paid.get(month, ZERO)))
    return lines


def ledger_people(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Current party members, in the order the ledger lists them."""
    return queryset.party_members().active().select_related("branch").order_by("name", "pk")


def ledger_rows(
    people: Iterable[Person],
    month: datetime.date,
    *,
    rules: Rules | None = None,
    with_entries: bool = True,
) -> list[LedgerRow]:
    """One row per person for `month`, arrears being the unpaid months before it.

    Queries: declarations, payment sums, (the month's entries), and the rules unless
    given: five or six, whatever the number of people and months.
    """
    people = list(people)
    pks = [p.pk for p in people]
    rules = rules or Rules.load()
    declarations: dict[int, list[Declaration]] = defaultdict(list)
    for declaration in Declaration.objects.filter(person_id__in=pks).order_by(
        "person_id", "effective_from"
    ):
        declarations[declaration.person_id].append(declaration)
    paid: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for row in (
        Payment.objects.filter(person_id__in=pks, month__lte=month)
        .values("person_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[row["person_id"]][row["month"]] = row["total"]
    entries: dict[int, list[Payment]] = defaultdict(list)
    if with_entries:
        for entry in Payment.objects.filter(person_id__in=pks, month=month).order_by(
            "recorded_at", "pk"
        ):
            entries[entry.person_id].append(entry)
    rows = []
    for person in people:
        lines = month_lines(person, declarations[person.pk], paid[person.pk], rules, until=month)
        current = lines[-1] if lines and lines[-1].month == month else None
        if (
            current is None
            and not declarations[person.pk]
            and (not person.joined_party_on or month_of(person.joined_party_on) <= month)
        ):
            # A member who should pay but has declared nothing: show it on the ledger.
            current = MonthLine(month, None, None, paid[person.pk].get(month, ZERO))
        rows.append(
            LedgerRow(
                person=person,
                month=month,
                line=current,
                arrears=[line for line in lines if line.month < month and line.is_owing],
                entries=entries[person.pk],
            )
        )
    return rows


def filter_rows(rows: list[LedgerRow], *, status: str = "", search: str = "") -> list[LedgerRow]:
    """The ledger's filters: `owing` (this month), `arrears` (earlier months), search."""
    if status == "owing":
        rows = [r for r in rows if r.is_owing]
    elif status == "arrears":
        rows = [r for r in rows if r.arrears]
    elif status == "paid":
        rows = [r for r in rows if r.status == "paid"]
    if search:
        rows = [r for r in rows if search in r.person.name]
    return rows


@dataclass
class Totals:
    """A month's figures over a set of members."""

    organisation: Organisation | None = None
    members: int = 0
    owing_members: int = 0  # members who owe dues this month (a rule applies)
    paid_members: int = 0  # of those, members who paid in full
    due: Decimal = ZERO
    paid: Decimal = ZERO
    arrears_members: int = 0
    arrears_amount: Decimal = ZERO
    undeclared: int = 0

    def add(self, row: LedgerRow) -> None:
        self.members += 1
        if row.line is not None and row.line.due is not None:
            self.owing_members += 1
            if not row.is_owing:
                self.paid_members += 1
        if row.status == "no_declaration":
            self.undeclared += 1
        self.due += row.due
        self.paid += row.paid
        if row.arrears:
            self.arrears_members += 1
            self.arrears_amount += row.arrears_amount

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid


def totals(rows: Iterable[LedgerRow]) -> Totals:
    result = Totals()
    for row in rows:
        result.add(row)
    return result


def subtree_people(organisation: Organisation) -> QuerySet[Person]:
    return ledger_people(Person.objects.filter(branch__path__startswith=organisation.path))


def subtree_totals(organisation: Organisation, month: datetime.date) -> tuple[Totals, list[Totals]]:
    """The month's totals over the subtree, and per child organisation (for drill-down).

    Queries: the children, the people, and `ledger_rows` without entries.
    """
    step = Organisation.steplen
    children = list(
        Organisation.objects.filter(
            path__startswith=organisation.path, depth=organisation.depth + 1
        )
        .exclude(kind=Organisation.Kind.GROUP)
        .order_by("path")
    )
    by_path = {child.path: Totals(organisation=child) for child in children}
    overall = Totals(organisation=organisation)
    for row in ledger_rows(subtree_people(organisation), month, with_entries=False):
        overall.add(row)
        child = by_path.get(row.person.branch.path[: len(organisation.path) + step])
        if child is not None:
            child.add(row)
    return overall, list(by_path.values())


def member_dues(person: Person, *, year: int, today: datetime.date) -> dict:
    """A member's own page: declarations, the year's months, entries, arrears."""
    rules = Rules.load()
    declarations = list(
        person.dues_declarations.select_related("declared_by").order_by("effective_from", "pk")
    )
    this_month = month_of(today)
    # Months still to come are not shown: nothing is owed for them yet.
    until = this_month
    paid: dict[datetime.date, Decimal] = {
        row["month"]: row["total"]
        for row in Payment.objects.filter(person=person, month__lte=until)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    lines = month_lines(person, declarations, paid, rules, until=until)
    entries = list(
        Payment.objects.filter(person=person, month__year=year)
        .select_related("recorded_by", "corrects")
        .order_by("month", "recorded_at", "pk")
    )
    return {
        "declarations": list(reversed(declarations)),
        "lines": [line for line in lines if line.month.year == year],
        "entries": entries,
        "arrears": [line for line in lines if line.month < this_month and line.is_owing],
        "year": year,
        "this_month": this_month,
    }
