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

A page never leaves an organisation out because its row is not computed yet: `ensure`
computes the missing rows first. A refresh over everyone records, per month, when it
read the tree (`ComplianceSummaryRefresh`); every organisation a rule applied to then
has its row, so `ensure` needs to look only at the organisations changed since (their
history: created, reopened, of another kind), or at the whole subtree when no such run
covers the month or a rule changed since.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from branches.models import Organisation

from . import selectors
from .models import ComplianceRule, ComplianceSummary, ComplianceSummaryRefresh
from .periods import Period, period_containing

logger = logging.getLogger(__name__)

# How long before a run over everyone read the tree a change still counts as "since":
# a change committed after the run read the tree may carry an earlier time (a long
# transaction, another server's clock).
CHANGES_MARGIN = datetime.timedelta(hours=1)


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
    on the unique constraint. A run over everyone records, for each month, that every
    organisation it read has its row (one more query).
    """
    today = today or timezone.localdate()
    months = months_of(year, today)
    if not months:
        return 0
    # Before the tree is read: what is created after it is looked at by `ensure`.
    started_at = timezone.now()
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
        # A rule changed while this run computed (its `rule_changed` found no record
        # to forget yet): the run it queued records instead.
        if organisation_ids is None and not _rules_changed_since(started_at):
            ComplianceSummaryRefresh.objects.bulk_create(
                [
                    ComplianceSummaryRefresh(
                        month=month, started_at=started_at, finished_at=timezone.now()
                    )
                    for month in months
                ],
                update_conflicts=True,
                unique_fields=["month"],
                update_fields=["started_at", "finished_at"],
            )
    return len(rows)


def _rules_changed_since(moment: datetime.datetime) -> bool:
    """Whether a party-life rule changed since shortly before `moment` (a structure
    rule changes what is owed, never who owes)."""
    return ComplianceRule.history.filter(history_date__gte=moment - CHANGES_MARGIN).exists()


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


def row_of(organisation: Organisation, *, month: datetime.date) -> ComplianceSummary | None:
    """One organisation's row of a month (None when no rule applies to it)."""
    row = ComplianceSummary.objects.filter(organisation=organisation, month=month).first()
    if row is not None:
        row.organisation = organisation  # not fetched again
    return row


def compliance_of(
    rows: Iterable[ComplianceSummary],
) -> list[selectors.OrganisationCompliance]:
    """The summary rows as the obligations the pages show: one query for the rules,
    whatever the rows. A rule switched off since the row was computed is left out."""
    rows = list(rows)
    # The rules as they are now; their conditions were applied when the row was computed.
    rules = (
        {rule.pk: rule for rule in ComplianceRule.objects.filter(is_enabled=True).order_by()}
        if rows
        else {}
    )
    # The rows of a month share a handful of periods (its month, quarter and year).
    periods: dict[tuple[str, str], Period] = {}
    result = []
    for row in rows:
        organisation = row.organisation
        compliance = selectors.OrganisationCompliance(organisation)
        for item in row.obligations:
            rule = rules.get(item["rule"])
            if rule is None:
                continue
            key = (rule.period, item["due"])
            period = periods.get(key)
            if period is None:
                due = datetime.date.fromisoformat(item["due"])
                period = periods[key] = period_containing(rule.period, due)
            compliance.obligations.append(
                selectors.Obligation(organisation, rule, period, item["held"])
            )
        result.append(compliance)
    return result


def ensure(organisations: QuerySet[Organisation], *, month: datetime.date) -> None:
    """Compute the month's rows of those organisations that have none yet: one
    created or reopened since the last run over everyone, or a month no such run
    covered (before the portal was installed, or the new month before its first hourly
    run). Two queries when none is missing, whatever the size of the tree.

    Only the organisations changed since the last run over everyone can lack a row
    (the run wrote one for every other); without such a run, or with a rule changed
    since, every organisation of the set is looked at.
    """
    today = timezone.localdate()
    if month > today:
        return
    candidates = organisations.filter(
        is_active=True,
        kind__in=ComplianceRule.objects.filter(is_enabled=True).values("organisation_kind"),
    )
    since = _complete_since(month)
    if since is not None:
        candidates = candidates.filter(
            pk__in=Organisation.history.filter(history_date__gte=since).values("id")
        )
    has_row = ComplianceSummary.objects.filter(organisation=OuterRef("pk"), month=month)
    missing = list(candidates.filter(~Exists(has_row)).order_by().values_list("pk", flat=True))
    if missing:
        refresh(missing, year=month.year, today=today)


def _complete_since(month: datetime.date) -> datetime.datetime | None:
    """The moment from which a change may have left an organisation without its row
    for `month`: when the last run over everyone that covered the month read the tree
    (less `CHANGES_MARGIN`). None when no run covers the month, or a rule changed since
    (`rule_changed` forgets the runs). One query."""
    started_at = (
        ComplianceSummaryRefresh.objects.filter(month=month)
        .values_list("started_at", flat=True)
        .first()
    )
    return None if started_at is None else started_at - CHANGES_MARGIN


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
    if sender is ComplianceRule:
        # It may apply to another kind of organisation now: until everyone is
        # refreshed, `ensure` looks at every organisation again.
        ComplianceSummaryRefresh.objects.all().delete()
    refresh_all_later()
