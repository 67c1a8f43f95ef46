"""Reads for terms and elections: the terms list of a subtree, the panels."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from branches.models import Organisation

from .dates import add_months, months_between
from .models import ELECTED_KINDS, Term, TermRule

SOON, OVERDUE, NO_TERM, FINE = "soon", "overdue", "none", "fine"


@dataclass
class TermRow:
    organisation: Organisation
    term_pk: int | None
    started_on: datetime.date | None
    ends_on: datetime.date | None
    state: str
    months_left: int | None


def rules_by_kind() -> dict[str, TermRule]:
    rules = {rule.organisation_kind: rule for rule in TermRule.objects.all()}
    return {kind: rules.get(kind) or TermRule.for_kind(kind) for kind in ELECTED_KINDS}


def organisations_with_terms(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The elected organisations among `organisations`, each with its open term's dates
    (subqueries, so one query whatever the rows)."""
    open_term = Term.objects.open().filter(organisation=OuterRef("pk")).order_by()
    return organisations.filter(kind__in=ELECTED_KINDS, is_active=True).annotate(
        term_pk=Subquery(open_term.values("pk")[:1]),
        term_started_on=Subquery(open_term.values("started_on")[:1]),
        term_ends_on=Subquery(open_term.values("ends_on")[:1]),
    )


def filter_by_state(
    queryset: QuerySet[Organisation], state: str, today: datetime.date, months: int
) -> QuerySet[Organisation]:
    if state == OVERDUE:
        return queryset.filter(term_ends_on__lt=today)
    if state == SOON:
        return queryset.filter(term_ends_on__gte=today, term_ends_on__lte=add_months(today, months))
    if state == NO_TERM:
        return queryset.filter(term_pk__isnull=True)
    return queryset


def term_state(ends_on: datetime.date | None, rule: TermRule, today: datetime.date) -> str:
    if ends_on is None:
        return NO_TERM
    if ends_on < today:
        return OVERDUE
    if ends_on <= add_months(today, rule.first_reminder_months):
        return SOON
    return FINE


def term_rows(organisations, today: datetime.date, rules=None) -> list[TermRow]:
    """Rows for annotated organisations (see `organisations_with_terms`); no query."""
    rules = rules or rules_by_kind()
    rows = []
    for org in organisations:
        ends_on = org.term_ends_on
        rows.append(
            TermRow(
                organisation=org,
                term_pk=org.term_pk,
                started_on=org.term_started_on,
                ends_on=ends_on,
                state=term_state(ends_on, rules[org.kind], today),
                months_left=months_between(today, ends_on) if ends_on else None,
            )
        )
    return rows


def ending_and_overdue(terms: QuerySet[Term], today: datetime.date):
    """Open terms that end within their rule's first reminder window, and overdue ones:
    two lists for the overview (two queries)."""
    rules = rules_by_kind()
    widest = max(rule.first_reminder_months for rule in rules.values())
    rows = list(
        terms.open()
        .filter(ends_on__lte=add_months(today, widest), organisation__is_active=True)
        .select_related("organisation")
        .order_by("ends_on", "pk")
    )
    overdue = [t for t in rows if t.ends_on < today]
    soon = [
        t
        for t in rows
        if t.ends_on >= today
        and t.ends_on <= add_months(today, rules[t.organisation.kind].first_reminder_months)
    ]
    for term in soon + overdue:
        term.months_left = months_between(today, term.ends_on)
    return soon, overdue
