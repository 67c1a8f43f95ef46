"""The maintained compliance summary: one `ComplianceSummary` row per organisation and
month, holding the obligations of the periods containing that month.

A roll-up over a provincial tree (10,000 organisations) reads these rows, sorted and
paginated by the database, instead of counting a year of meetings for every
organisation on every request. `refresh` computes them with the live selectors
(`meetings.selectors.evaluate`), so the two never disagree on what a rule means:

- `meeting_submit` and `meeting_update` refresh the meeting's organisation;
- a change to a party-life or structure rule refreshes everyone (`refresh_all_later`);
- the hourly beat task refreshes the current year, which picks up what changes without
  a meeting: a new secretary, a branch growing past the committee threshold.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from branches.models import Organisation

from . import selectors
from .models import ComplianceRule, ComplianceSummary
from .periods import period_containing

logger = logging.getLogger(__name__)


def as_of(month: datetime.date, today: datetime.date) -> datetime.date:
    """The day a month's figures are computed for: today in the current month, else
    the month's last day."""
    if (month.year, month.month) == (today.year, today.month):
        return today
    return period_containing("month", month).due


def months_of(year: int, today: datetime.date) -> list[datetime.date]:
    """The months of `year` that have begun by `today`."""
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return [datetime.date(year, month, 1) for month in range(1, last + 1)]


def refresh(
    organisation_ids: Iterable[int] | None = None,
    *,
    year: int,
    today: datetime.date | None = None,
) -> int:
    """Recompute the summary of the given organisations (every one when None) for
    every begun month of `year`; returns the rows written.

    A fixed number of queries whatever the number of organisations: the
    organisations, their full members, the rules, the year's meeting counts, the
    secretaries of every month, then the writes in batches. Upserts, so a refresh
    running beside another (a meeting submitted during the hourly run) never fails
    on the unique constraint.
    """
    today = today or timezone.localdate()
    months = months_of(year, today)
    if not months:
        return 0
    organisations = Organisation.objects.filter(is_active=True)
    if organisation_ids is not None:
        organisation_ids = list(organisation_ids)
        organisations = organisations.filter(pk__in=organisation_ids)
    rules_by_kind = selectors.rules_by_organisation_kind()
    relevant = [org for org in organisations.order_by("path") if rules_by_kind.get(org.kind)]
    full = selectors.full_member_counts(relevant)
    counts = selectors.held_counts((org.pk for org in relevant), year=year)
    days = {month: as_of(month, today) for month in months}
    secretaries = selectors.secretaries_on((org.pk for org in relevant), days.values())
    now = timezone.now()
    rows = []
    for month, on in days.items():
        for organisation in relevant:
            organisation.full_member_count = full[organisation.pk]
            organisation.secretary_person_id = secretaries[on].get(organisation.pk)
        # A row even when nothing is owed (required 0), so that `ensure` can tell a
        # row that was computed from one that is missing.
        rows.extend(
            _row(compliance, month, now)
            for compliance in selectors.evaluate(relevant, rules_by_kind, counts, on=on)
        )
    with transaction.atomic():
        _serialise_refreshes()
        ComplianceSummary.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["organisation", "month"],
            update_fields=["required", "held", "missing", "obligations", "computed_at"],
        )
        # What this run did not write is gone: a closed organisation, or a kind of
        # organisation no rule applies to any more.
        stale = ComplianceSummary.objects.filter(month__in=months).exclude(
            organisation_id__in=[org.pk for org in relevant]
        )
        if organisation_ids is not None:
            stale = stale.filter(organisation_id__in=organisation_ids)
        stale.delete()
    return len(rows)


def _serialise_refreshes() -> None:
    """One refresh at a time on PostgreSQL (a transaction-level advisory lock), so
    the hourly run and a meeting's refresh never delete each other's fresh rows.
    SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


_LOCK_KEY = 0x6D656574  # "meet"


def _row(compliance, month: datetime.date, now: datetime.datetime) -> ComplianceSummary:
    obligations = compliance.obligations
    return ComplianceSummary(
        organisation=compliance.organisation,
        month=month,
        required=compliance.required,
        held=compliance.held,
        missing=compliance.missing,
        obligations=[
            {
                "rule": o.rule.pk,
                "period": o.period.key,
                "due": o.due.isoformat(),
                "required": o.required,
                "held": o.held,
            }
            for o in obligations
        ],
        computed_at=now,
    )


def refresh_organisation(organisation_id: int, *years: int) -> None:
    """Refresh one organisation after one of its meetings changed (in `years`)."""
    for year in sorted(set(years)):
        refresh([organisation_id], year=year)


def refresh_all(today: datetime.date | None = None) -> int:
    """Everyone, the current year (and the last one in January, when December's
    meetings are still being submitted)."""
    today = today or timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    return sum(refresh(year=year, today=today) for year in years)


# --- Reads ---------------------------------------------------------------------------


def rows_for(
    organisations: QuerySet[Organisation], *, month: datetime.date
) -> QuerySet[ComplianceSummary]:
    """The summary rows of a set of organisations that owe something in a month,
    worst first."""
    return (
        ComplianceSummary.objects.filter(
            organisation__in=organisations.filter(is_active=True), month=month, required__gt=0
        )
        .select_related("organisation")
        .order_by("-missing", "organisation__path")
    )


def compliance_of(rows: Iterable[ComplianceSummary]) -> list[selectors.OrganisationCompliance]:
    """The summary rows as the obligations the pages show: one query for the rules,
    whatever the rows. A rule switched off since the row was computed is left out."""
    rows = list(rows)
    rules = {rule.pk: rule for rule in selectors.enabled_rules()} if rows else {}
    result = []
    for row in rows:
        compliance = selectors.OrganisationCompliance(row.organisation)
        for item in row.obligations:
            rule = rules.get(item["rule"])
            if rule is None:
                continue
            due = datetime.date.fromisoformat(item["due"])
            period = period_containing(rule.period, due)
            compliance.obligations.append(
                selectors.Obligation(row.organisation, rule, period, item["held"])
            )
        result.append(compliance)
    return result


def ensure(organisations: QuerySet[Organisation], *, month: datetime.date) -> None:
    """Compute the month's rows of those organisations that have none yet: one
    created since the last hourly run, or a month before the portal was installed.
    Two queries when none is missing."""
    today = timezone.localdate()
    if month > today:
        return
    kinds = ComplianceRule.objects.filter(is_enabled=True).values("organisation_kind")
    missing = list(
        organisations.filter(is_active=True, kind__in=kinds)
        .exclude(
            pk__in=ComplianceSummary.objects.filter(month=month).values("organisation_id")
        )
        .values_list("pk", flat=True)
    )
    if missing:
        refresh(missing, year=month.year, today=today)


def refresh_all_later() -> None:
    """After a rule changed: refresh everyone once the change is committed, on the
    worker. With the broker down the hourly run does it instead."""

    def enqueue() -> None:
        from .tasks import refresh_compliance_summary

        try:
            refresh_compliance_summary.delay()
        except (KombuOperationalError, OSError):  # the broker is down
            logger.warning("compliance summary refresh not queued; the hourly run will do it")

    transaction.on_commit(enqueue)


def rule_changed(sender, **kwargs) -> None:
    """A party-life or structure rule was saved or deleted (connected in apps.py)."""
    if kwargs.get("raw"):  # loading fixtures
        return
    refresh_all_later()
