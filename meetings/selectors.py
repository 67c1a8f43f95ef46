"""Reads for party life: who is expected at a meeting, and compliance with the rules.

Compliance is computed, never typed: the enabled `ComplianceRule` rows say what an
organisation of a kind must hold per period (and when: only with a branch committee,
only lessons its secretary gave), one aggregate query counts the submitted meetings
per organisation, kind, month and lecturer, and Python combines the two.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from branches.models import Organisation, StructureRule
from members.models import Person, Post
from members.selectors import subtree_counts

from .models import (
    KINDS_FOR_ORGANISATION,
    Attendance,
    ComplianceRule,
    Meeting,
    MeetingKind,
    QuorumRule,
)
from .periods import Period, period_containing


def expected_attendees(organisation: Organisation, kind: str) -> QuerySet[Person]:
    """The people expected at a meeting of `kind` held by `organisation`.

    A group meeting: the group's party members; a committee meeting: the
    committee in post; the central-group study: the organisation's committee and
    the secretaries of every organisation below; any other meeting: the party
    members of the whole subtree.
    """
    people = Person.objects.active()
    posts = Post.objects.current()
    if kind == MeetingKind.GROUP_MEETING:
        return people.party_members().filter(group=organisation)
    if kind == MeetingKind.COMMITTEE_MEETING:
        return people.filter(
            pk__in=posts.committee().filter(organisation=organisation).values("person")
        )
    if kind == MeetingKind.CENTRAL_STUDY:
        central = posts.filter(
            Q(organisation=organisation, role__in=_COMMITTEE_ROLES)
            | Q(organisation__path__startswith=organisation.path, role=Post.Role.SECRETARY)
        )
        return people.filter(pk__in=central.values("person"))
    return people.party_members().filter(branch__path__startswith=organisation.path)


_COMMITTEE_ROLES = [role for role in Post.Role.values if role != Post.Role.GROUP_LEADER]


def subtree_people(organisation: Organisation) -> QuerySet[Person]:
    """Everyone who may be on an attendance list of `organisation`: people of its
    subtree's branches and groups, and holders of its subtree's posts."""
    path = organisation.path
    return Person.objects.filter(
        Q(branch__path__startswith=path)
        | Q(group__path__startswith=path)
        | Q(
            pk__in=Post.objects.current()
            .filter(organisation__path__startswith=path)
            .values("person")
        )
    )


def kinds_for(organisation: Organisation) -> tuple[str, ...]:
    return KINDS_FOR_ORGANISATION.get(organisation.kind, ())


def meetings_for_list(organisation: Organisation) -> QuerySet[Meeting]:
    """The organisation's own meetings for a list: attendance counts and the people
    named on the row in the same query."""
    return (
        Meeting.objects.filter(organisation=organisation)
        .select_related("host", "recorder", "lecturer")
        .with_attendance()
        .order_by("-held_at", "-pk")
    )


@dataclass(frozen=True)
class Quorum:
    """Who had to be there for a meeting to be valid, and who was."""

    rule: QuorumRule
    voters: int
    present: int

    @property
    def needed(self) -> int:
        return self.rule.needed(self.voters)

    @property
    def is_met(self) -> bool:
        return self.present >= self.needed


def quorum_of(meeting: Meeting) -> Quorum | None:
    """The meeting's quorum from its attendance as recorded now (None when no
    enabled quorum rule covers its kind). Two or three queries."""
    rule = QuorumRule.objects.filter(meeting_kind=meeting.kind, is_enabled=True).first()
    if rule is None:
        return None
    voters = expected_attendees(meeting.organisation, meeting.kind)
    if rule.voters == QuorumRule.Voters.FULL_MEMBERS:
        voters = voters.filter(status=Person.Status.FULL)
    voter_ids = list(voters.values_list("pk", flat=True))
    present = meeting.attendances.filter(
        person_id__in=voter_ids, status=Attendance.Status.PRESENT
    ).count()
    return Quorum(rule=rule, voters=len(voter_ids), present=present)


def my_attendance(person: Person) -> QuerySet[Attendance]:
    """A person's attendance on submitted meetings, newest first."""
    return (
        Attendance.objects.filter(person=person, meeting__status=Meeting.Status.SUBMITTED)
        .select_related("meeting__organisation")
        .order_by("-meeting__held_at", "-pk")
    )


# --- Compliance -------------------------------------------------------------------


@dataclass
class Obligation:
    """What one rule requires of one organisation in one period, and what it held."""

    organisation: Organisation
    rule: ComplianceRule
    period: Period
    held: int

    @property
    def required(self) -> int:
        return self.rule.minimum_count

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)

    @property
    def is_met(self) -> bool:
        return self.missing == 0

    @property
    def due(self) -> datetime.date:
        return self.period.due

    @property
    def kind_label(self) -> str:
        return self.rule.label

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_met and today > self.due


@dataclass
class OrganisationCompliance:
    organisation: Organisation
    obligations: list[Obligation] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(o.missing for o in self.obligations)

    @property
    def required(self) -> int:
        return sum(o.required for o in self.obligations)

    @property
    def held(self) -> int:
        return sum(min(o.held, o.required) for o in self.obligations)


def _aware_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


@dataclass
class HeldCounts:
    """Meetings that count, per (organisation, kind, month), and per lecturer too."""

    by_month: dict[tuple[int, str, int], int] = field(default_factory=dict)
    by_lecturer: dict[tuple[int, str, int, int], int] = field(default_factory=dict)

    def held(self, organisation: Organisation, rule: ComplianceRule, period: Period) -> int:
        if rule.given_by == ComplianceRule.GivenBy.SECRETARY:
            secretary = organisation.secretary_person_id
            if secretary is None:
                return 0
            return sum(
                self.by_lecturer.get((organisation.pk, rule.meeting_kind, month, secretary), 0)
                for month in period.months
            )
        return sum(
            self.by_month.get((organisation.pk, rule.meeting_kind, month), 0)
            for month in period.months
        )


def held_counts(organisation_ids: Iterable[int], *, year: int) -> HeldCounts:
    """Meetings that count (submitted and quorate) per organisation, kind, month and
    lecturer in a year: one query. Only party lessons have a lecturer, so grouping by
    it adds rows only for lessons given by different people."""
    rows = (
        Meeting.objects.counted()
        .filter(
            organisation_id__in=list(organisation_ids),
            held_at__gte=_aware_midnight(datetime.date(year, 1, 1)),
            held_at__lt=_aware_midnight(datetime.date(year + 1, 1, 1)),
        )
        # Months in the portal's time zone: a meeting at 00:30 on 1 April in Beijing
        # belongs to Q2 although it is still 31 March in UTC.
        .annotate(month=ExtractMonth("held_at"))
        .order_by()
        .values_list("organisation_id", "kind", "month", "lecturer_id")
        .annotate(n=Count("pk"))
    )
    counts = HeldCounts()
    for org_id, kind, month, lecturer_id, n in rows:
        key = (org_id, kind, month)
        counts.by_month[key] = counts.by_month.get(key, 0) + n
        if lecturer_id is not None:
            counts.by_lecturer[(*key, lecturer_id)] = n
    return counts


def full_member_counts(organisations: Iterable[Organisation]) -> dict[int, int]:
    """The active full members of each organisation's subtree (for a branch, its own):
    two queries, whatever the number of organisations."""
    return subtree_counts(organisations, Person.objects.active().filter(status=Person.Status.FULL))


def secretaries_on(
    organisation_ids: Iterable[int], days: Iterable[datetime.date]
) -> dict[datetime.date, dict[int, int]]:
    """The secretary in post on each of `days`, per organisation: one query for all the
    days (the posts overlapping them), picked in Python as `Post.objects.current`
    would (the latest started)."""
    days = sorted(set(days))
    result: dict[datetime.date, dict[int, int]] = {day: {} for day in days}
    if not days:
        return result
    posts = (
        Post.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=days[0]),
            organisation_id__in=list(organisation_ids),
            role=Post.Role.SECRETARY,
            started_on__lte=days[-1],
        )
        .order_by("organisation_id", "-started_on", "-pk")
        .values_list("organisation_id", "person_id", "started_on", "ended_on")
    )
    for org_id, person_id, started_on, ended_on in posts:
        for day in days:
            if started_on <= day and (ended_on is None or ended_on > day):
                result[day].setdefault(org_id, person_id)
    return result


def _with_figures(
    organisations: Iterable[Organisation], *, on: datetime.date
) -> list[Organisation]:
    """The organisations with what the rules look at: `full_member_count`, the active
    full members of the subtree, and `secretary_person_id`, the secretary in post on
    `on`. Three queries (four when given a queryset), whatever the number."""
    organisations = list(organisations)
    full = full_member_counts(organisations)
    secretaries = secretaries_on((org.pk for org in organisations), [on])[on]
    for organisation in organisations:
        organisation.full_member_count = full[organisation.pk]
        organisation.secretary_person_id = secretaries.get(organisation.pk)
    return organisations


def enabled_rules(periods: Iterable[str] | None = None) -> QuerySet[ComplianceRule]:
    """The enabled rules, each with the committee threshold its condition needs
    (`committee_threshold`, from the structure rules; None when that rule is off)."""
    rules = ComplianceRule.objects.filter(is_enabled=True).annotate(
        committee_threshold=Subquery(
            StructureRule.objects.filter(
                code=StructureRule.Code.COMMITTEE_THRESHOLD, is_enabled=True
            ).values("value")[:1]
        )
    )
    if periods is not None:
        rules = rules.filter(period__in=list(periods))
    return rules


def rule_applies(rule: ComplianceRule, organisation: Organisation) -> bool:
    """Whether the rule's condition holds for the organisation (annotated by
    `_with_figures`, the rule by `enabled_rules`)."""
    if rule.applies_when == ComplianceRule.Condition.HAS_COMMITTEE:
        # Without a threshold (the structure rule switched off) nobody can tell that
        # the branch has no committee, so the rule keeps applying.
        threshold = rule.committee_threshold
        return threshold is None or organisation.full_member_count >= threshold
    return True


def obligations(
    organisations: Iterable[Organisation],
    *,
    on: datetime.date,
    periods: Iterable[str] | None = None,
) -> list[OrganisationCompliance]:
    """Each organisation's obligations in the periods containing `on`.

    Six queries whatever the number of organisations when given a queryset (the
    organisations, their figures, the rules, then the counts); every period
    containing `on` lies inside `on`'s year, so one year's counts by month answer
    months, quarters and the year alike.
    """
    organisations = _with_figures(organisations, on=on)
    rules_by_kind = rules_by_organisation_kind(periods)
    relevant = [org for org in organisations if rules_by_kind.get(org.kind)]
    counts = held_counts((org.pk for org in relevant), year=on.year) if relevant else (HeldCounts())
    return evaluate(organisations, rules_by_kind, counts, on=on)


def rules_by_organisation_kind(
    periods: Iterable[str] | None = None,
) -> dict[str, list[ComplianceRule]]:
    rules_by_kind: dict[str, list[ComplianceRule]] = defaultdict(list)
    for rule in enabled_rules(periods):
        rules_by_kind[rule.organisation_kind].append(rule)
    return rules_by_kind


def evaluate(
    organisations: Iterable[Organisation],
    rules_by_kind: dict[str, list[ComplianceRule]],
    counts: HeldCounts,
    *,
    on: datetime.date,
) -> list[OrganisationCompliance]:
    """The obligations of organisations carrying their figures (`_with_figures`),
    from rules and counts already read: no query."""
    result = []
    for organisation in organisations:
        compliance = OrganisationCompliance(organisation)
        for rule in rules_by_kind.get(organisation.kind, ()):
            if not rule_applies(rule, organisation):
                continue
            period = period_containing(rule.period, on)
            held = counts.held(organisation, rule, period)
            compliance.obligations.append(Obligation(organisation, rule, period, held))
        compliance.obligations.sort(key=lambda o: (o.due, o.rule.meeting_kind, o.rule.given_by))
        result.append(compliance)
    return result


def obligations_of(organisation: Organisation, *, on: datetime.date) -> OrganisationCompliance:
    """One organisation's obligations in the periods containing `on`."""
    return obligations([organisation], on=on)[0]


def rollup(
    organisations: QuerySet[Organisation], *, on: datetime.date
) -> list[OrganisationCompliance]:
    """Compliance over a set of organisations (a subtree), worst first.

    Three queries: the organisations, the rules and the counts.
    """
    results = obligations(organisations.filter(is_active=True).order_by("path"), on=on)
    results = [r for r in results if r.obligations]
    results.sort(key=lambda r: (-r.missing, r.organisation.path))
    return results


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def due_in_month(
    organisations: Iterable[Organisation], *, year: int, month: int
) -> list[Obligation]:
    """Obligations whose period ends in the given month (for the calendar)."""
    last_day = period_containing("month", datetime.date(year, month, 1)).due
    found = []
    for compliance in obligations(organisations, on=last_day):
        found.extend(o for o in compliance.obligations if o.due == last_day)
    return found
