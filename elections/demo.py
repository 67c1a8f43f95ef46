"""The terms and elections demo (called at the end of `members.demo.load()`).

Every committee, general branch and branch gets its current term. The dates are counted
back from the first of the current month, so the overview always shows what it is
meant to: 仓储配送党支部's term ends within six months, 处置质监党支部's is overdue (its
election is under way, candidates approved by 采购供应党总支), and 计划招标党支部 held
its election two years ago (the committee re-elected to the same posts, so the posts
run on). Each organisation is skipped once it has a term, so a second load creates
nothing. Everything goes through `elections.services`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.models import Organisation
from members.models import Person, Post

from . import services
from .dates import add_months
from .models import ELECTED_KINDS, Election, Term

# Organisation name -> months back from this month's first day that its term began.
STARTED_MONTHS_AGO = {
    "物资公司党委": 24,
    "机关党总支": 20,
    "采购供应党总支": 18,
    "采购合同党支部": 16,
    "综合管理党支部": 12,
    "仓储配送党支部": 32,  # 3-year term: ends in 4 months
    "处置质监党支部": 38,  # ended 2 months ago: overdue
}
PAST_ELECTION_BRANCH = "计划招标党支部"  # elected 24 months ago, term opened by it
PAST_ELECTION_MONTHS_AGO = 24
RUNNING_ELECTION_BRANCH = "处置质监党支部"


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _past_election(org: Organisation, anchor, report) -> None:
    held_on = add_months(anchor, -PAST_ELECTION_MONTHS_AGO)
    services.term_open(organisation=org, started_on=add_months(held_on, -36))
    report.created["terms"] += 1
    committee = list(
        Post.objects.current(held_on)
        .committee()
        .filter(organisation=org)
        .select_related("person")
        .in_role_order()
    )
    extra = (
        services.eligible_candidates(org)
        .exclude(pk__in=[p.person_id for p in committee])
        .order_by("employee_no")
        .first()
    )
    election = services.election_create(
        organisation=org,
        kind=Election.Kind.REGULAR,
        seats=len(committee),
        planned_on=held_on,
        is_contested=True,
        by=_user("qianduan"),
    )
    people = [p.person for p in committee] + [extra]
    for person in people:
        services.candidate_add(election=election, person=person)
    services.candidates_approve(
        election=election,
        approved_on=add_months(held_on, -1),
        document=f"机关党总支〔{held_on.year}〕3号",
        by=_user("dangwei"),
    )
    entitled = services.default_entitled(org, held_on)
    present = entitled - 1
    by_person = {c.person_id: c.pk for c in election.candidates.all()}
    numbers = [present - (1 if i else 0) - (1 if i > 2 else 0) for i in range(len(committee))]
    votes = {by_person[p.person_id]: n for p, n in zip(committee, numbers, strict=True)}
    votes[by_person[extra.pk]] = 3
    services.vote_record(
        election=election,
        held_on=held_on,
        entitled=entitled,
        present=present,
        valid_ballots=present,
        votes=votes,
    )
    services.election_result_confirm(
        election=election,
        effective_on=held_on,
        by=_user("dangwei"),
        roles={by_person[p.person_id]: p.role for p in committee},
    )
    report.created["elections"] += 1
    report.created["terms"] += 1


def _running_election(org: Organisation, anchor, report) -> None:
    candidates = list(
        Person.objects.filter(
            posts__organisation=org,
            posts__ended_on__isnull=True,
            status=Person.Status.FULL,
            branch=org,
        )
        .distinct()
        .order_by("employee_no")[:4]
    )
    if len(candidates) < 4:
        return
    election = services.election_create(
        organisation=org,
        kind=Election.Kind.REGULAR,
        seats=3,
        planned_on=add_months(anchor, 1),
        is_contested=True,
        by=None,
    )
    for person in candidates:
        services.candidate_add(election=election, person=person)
    services.candidates_approve(
        election=election,
        approved_on=anchor,
        document=f"采供党总支〔{anchor.year}〕5号",
        by=_user("zongzhi"),
    )
    report.created["elections"] += 1


def load(report) -> None:
    """Add the demo terms and elections that are missing; count them in the report."""
    report.created["terms"] += 0
    report.created["elections"] += 0
    anchor = timezone.localdate().replace(day=1)
    with_terms = set(Term.objects.values_list("organisation_id", flat=True))
    for org in Organisation.objects.filter(kind__in=ELECTED_KINDS).order_by("path"):
        if org.pk in with_terms:
            continue
        if org.name == PAST_ELECTION_BRANCH:
            _past_election(org, anchor, report)
            continue
        months = STARTED_MONTHS_AGO.get(org.name)
        if months is None:
            continue
        services.term_open(organisation=org, started_on=add_months(anchor, -months))
        report.created["terms"] += 1
        if (
            org.name == RUNNING_ELECTION_BRANCH
            and not Election.objects.filter(organisation=org).exists()
        ):
            _running_election(org, anchor, report)
