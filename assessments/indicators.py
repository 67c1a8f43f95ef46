"""Computed indicators: figures the portal can work out from its own data.

A registry keyed by code. Each indicator reads a period's figures for many branches
at once (a handful of queries, not a query per branch) and returns, per branch, a
`Reading`: the value and the evidence a reviewer sees beside it. Criteria of a
scheme and the red-flag rule name an indicator by its code; a new source (another
app's figures) plugs in with `@indicator(...)` and needs no change elsewhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation
from members.models import Person

MANUAL = "manual"


@dataclass(frozen=True)
class Reading:
    """One branch's value for one indicator in a period, with the evidence behind it.
    `value` is None when there is nothing to measure (no meeting due yet, no
    problem resolved): the criterion is then scored by hand."""

    value: Decimal | None
    evidence: str


Compute = Callable[[Sequence[Organisation], datetime.date, datetime.date], dict[int, Reading]]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    compute: Compute


REGISTRY: dict[str, Indicator] = {}


def indicator(code: str, label, unit: str = ""):
    """Register a function `(branches, start, end) -> {branch_pk: Reading}`."""

    def register(compute: Compute) -> Compute:
        REGISTRY[code] = Indicator(code, label, unit, compute)
        return compute

    return register


def indicator_choices() -> list[tuple[str, str]]:
    """Choices for a criterion's source: by hand, or one of the registered indicators
    (a callable, so registering one needs no migration)."""
    return [(MANUAL, gettext_lazy("Entered by hand")),
            *((code, ind.label) for code, ind in REGISTRY.items())]


def read(code: str, branches: Sequence[Organisation], *, start: datetime.date,
         end: datetime.date) -> dict[int, Reading]:
    """The indicator's readings for the branches over [start, end] (inclusive)."""
    branches = list(branches)
    if not branches or code not in REGISTRY:
        return {}
    return REGISTRY[code].compute(branches, start, end)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    ends = []
    year, month = start.year, start.month
    while True:
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        last = nxt - datetime.timedelta(days=1)
        if last > end:
            break
        ends.append(last)
        year, month = nxt.year, nxt.month
    return ends


# --- Party life (meetings) -----------------------------------------------------------


@indicator("meeting_compliance", gettext_lazy("Three meetings and one lesson held as required"),
           "%")
def meeting_compliance(branches, start, end):
    """Required meetings held, over every rule period that *ended* in [start, end]
    and before today: one call of `meetings.selectors.obligations` per month end."""
    from meetings.selectors import obligations

    month_ends = _month_ends(start, min(end, timezone.localdate()))
    until = month_ends[-1] if month_ends else start
    held: dict[int, int] = {b.pk: 0 for b in branches}
    required: dict[int, int] = {b.pk: 0 for b in branches}
    missing: dict[int, list[str]] = {b.pk: [] for b in branches}
    for month_end in month_ends:
        for compliance in obligations(branches, on=month_end):
            pk = compliance.organisation.pk
            for obligation in compliance.obligations:
                if obligation.due != month_end:
                    continue  # counted at the end of its own period
                required[pk] += obligation.required
                held[pk] += min(obligation.held, obligation.required)
                if obligation.missing:
                    missing[pk].append(f"{obligation.kind_label} {obligation.period.label}")
    readings = {}
    for branch in branches:
        value = _ratio(held[branch.pk], required[branch.pk])
        evidence = _("%(held)d of %(required)d required meetings held in periods ended by "
                     "%(until)s.") % {"held": held[branch.pk], "required": required[branch.pk],
                                      "until": until.isoformat()}
        if missing[branch.pk]:
            shown = "; ".join(missing[branch.pk][:6])
            more = len(missing[branch.pk]) - 6
            evidence += " " + _("Missing: %(list)s") % {"list": shown}
            if more > 0:
                evidence += f" (+{more})"
        readings[branch.pk] = Reading(value, evidence)
    return readings


@indicator("attendance_rate", gettext_lazy("Attendance at the branch's meetings"), "%")
def attendance_rate(branches, start, end):
    """Present over expected, on the branch's counted meetings (and its groups')."""
    from meetings.models import Attendance, Meeting

    rows = {b.pk: {"present": 0, "expected": 0, "meetings": set()} for b in branches}
    by_path = sorted(((b.path, b.pk) for b in branches), key=lambda p: -len(p[0]))
    condition = Q()
    for branch in branches:
        condition |= Q(meeting__organisation__path__startswith=branch.path)
    attendance = (
        Attendance.objects.filter(condition, meeting__in=Meeting.objects.counted(),
                                  meeting__held_at__gte=_aware(start),
                                  meeting__held_at__lt=_aware(end + datetime.timedelta(days=1)))
        .values_list("meeting__organisation__path", "meeting_id")
        .annotate(expected=Count("pk"), present=Count("pk", filter=Q(status="present")))
        .order_by()
    )
    for path, meeting_id, expected, present in attendance:
        pk = next((pk for prefix, pk in by_path if path.startswith(prefix)), None)
        if pk is None:
            continue
        rows[pk]["expected"] += expected
        rows[pk]["present"] += present
        rows[pk]["meetings"].add(meeting_id)
    return {
        pk: Reading(_ratio(row["present"], row["expected"]),
                    _("%(present)d present of %(expected)d expected at %(meetings)d counted "
                      "meetings.") % {"present": row["present"], "expected": row["expected"],
                                      "meetings": len(row["meetings"])})
        for pk, row in rows.items()
    }


# --- Members ------------------------------------------------------------------------


@indicator("members_developed", gettext_lazy("Members developed (admitted in the period)"))
def members_developed(branches, start, end):
    counts = dict(
        Person.objects.filter(branch__in=branches, joined_party_on__gte=start,
                              joined_party_on__lte=end)
        .values("branch").annotate(n=Count("pk")).values_list("branch", "n").order_by()
    )
    return {
        b.pk: Reading(Decimal(counts.get(b.pk, 0)),
                      _("%(n)d admitted to the party from %(start)s to %(end)s.")
                      % {"n": counts.get(b.pk, 0), "start": start, "end": end})
        for b in branches
    }


# --- Mass liaison (liaison) ------------------------------------------------------------


@indicator("visits_per_member", gettext_lazy("Liaison visits per party member"))
def visits_per_member(branches, start, end):
    from liaison.models import Visit

    visits = dict(
        Visit.objects.filter(organisation__in=branches, visited_on__gte=start,
                             visited_on__lte=end)
        .values("organisation").annotate(n=Count("pk"))
        .values_list("organisation", "n").order_by()
    )
    members = dict(
        Person.objects.active().party_members().filter(branch__in=branches)
        .values("branch").annotate(n=Count("pk")).values_list("branch", "n").order_by()
    )
    readings = {}
    for b in branches:
        n_visits, n_members = visits.get(b.pk, 0), members.get(b.pk, 0)
        value = (Decimal(n_visits) / n_members).quantize(Decimal("0.01")) if n_members else None
        readings[b.pk] = Reading(value, _("%(visits)d visits recorded by a branch of "
                                          "%(members)d party members.")
                                 % {"visits": n_visits, "members": n_members})
    return readings


@indicator("problems_on_time", gettext_lazy("Problems resolved by their deadline"), "%")
def problems_on_time(branches, start, end):
    """The liaison ledger's own definition (`liaison.selectors.figures`), per branch."""
    from liaison.selectors import figures

    readings = {}
    for b in branches:
        total, _rows = figures(b, start=start, end=end)
        readings[b.pk] = Reading(
            Decimal(str(round(total.on_time_rate, 4))) if total.on_time_rate is not None
            else None,
            _("%(registered)d problems registered, %(resolved)d resolved, %(on_time)d by the "
              "deadline, %(written_off)d written off, %(overdue)d late.")
            % {"registered": total.registered, "resolved": total.resolved,
               "on_time": total.on_time, "written_off": total.written_off,
               "overdue": total.overdue})
    return readings

