"""Shared set-up for the overview tests (no tests here): a spring of records on the
personas' tree (tests/conftest.py), with the figures the pages must show worked out
by hand below, and helpers to grow the tree for the query-count tests.

Today is 2026-05-20 (Shanghai). In May 2026 the subtree of the committee holds:

- meetings held (submitted, quorate): the branch's theme day (3 expected, 2 present),
  the group's meeting (2/2), the other branch's theme day (1/0), the committee's
  central-group study (2/2): 4 meetings, 1 central-group study. The branch's meeting
  without its quorum (1/1) counts for attendance, not as held; a draft counts for
  nothing. Attendance: 9 expected, 7 present (77.8%).
- April: the branch's party lesson (2/2).
- visits: the member's (branch) and the other member's (other branch) in May, the
  member's in April; one opinion in May (branch).
- problems: written off in May: P1 (resolved by its deadline) and P4 (late);
  registered in May: P3 (branch), P5 (other branch); open on May 20: P2, P3, P5, of
  them overdue P2 and P5. On April 30: P2 open, not yet overdue.
- development: an application and an admission in May (branch).
- credits: 2.0 for the member in May.
- 2026 assessments: the branch approved "excellent", the other branch in draft; the
  branch's appraisal decided: the member excellent, the secretary qualified.
- the red flag of May: the branch.
- compliance (meetings.ComplianceSummary, May): branch 3/1/2, group 1/1/0, other
  branch 3/1/2, committee 2/1/1 (required/held/missing).
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from assessments.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalGrade,
    AssessmentState,
    BranchAssessment,
    Grade,
    RedFlag,
)
from branches.models import Organisation, Segment
from development.models import Candidacy, Stage
from liaison.models import Opinion, Problem, ProblemCategory, ProblemState, Visit
from meetings.models import Attendance, ComplianceSummary, Meeting, MeetingKind
from members.models import Person
from overview import summary
from study.models import CreditEntry, CreditRule
from tests.assessments_helpers import make_scheme
from tests.factories import make_member, make_org
from tests.test_study_helpers import make_material

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=SH)
TODAY = NOW.date()
MAY = datetime.date(2026, 5, 1)
APRIL = datetime.date(2026, 4, 1)
Status = Attendance.Status


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=SH)


def meeting(org, kind, when, attendance, *, status=Meeting.Status.SUBMITTED, quorate=True):
    """A meeting with its attendance: {person: status}."""
    held = Meeting.objects.create(
        organisation=org,
        kind=kind,
        topic="学习",
        held_at=when,
        status=status,
        submitted_at=when if status == Meeting.Status.SUBMITTED else None,
        is_quorate=quorate,
    )
    for person, state in attendance.items():
        Attendance.objects.create(
            meeting=held,
            person=person,
            status=state,
            leave_reason="出差" if state == Status.LEAVE else "",
        )
    return held


def visit(visitor, visited, on, org) -> Visit:
    return Visit.objects.create(
        visitor=visitor,
        visited=visited,
        organisation=org,
        visited_on=on,
        method=Visit.Method.ONE_TO_ONE,
        discussion="谈心",
    )


def problem(org, owner, raised_by, *, registered, deadline, resolved=None, written_off=None):
    state = ProblemState.REGISTERED
    fields = {}
    if resolved:
        state = ProblemState.RESOLVED
        fields["resolved_at"] = resolved
    if written_off:
        state = ProblemState.WRITTEN_OFF
        fields.update(written_off_at=written_off, feedback_at=written_off, satisfied=True)
    return Problem.objects.create(
        title="收货排队",
        category=ProblemCategory.objects.order_by("pk").first(),
        organisation=org,
        owner=owner,
        raised_by=raised_by,
        registered_at=registered,
        deadline=deadline,
        state=state,
        **fields,
    )


def compliance(org, required, held, month=MAY) -> ComplianceSummary:
    return ComplianceSummary.objects.create(
        organisation=org,
        month=month,
        required=required,
        held=held,
        missing=required - held,
        computed_at=NOW,
    )


def fill(world) -> None:
    """The records described in the module docstring, then the summary refreshed."""
    for org in (world.committee, world.general, world.branch, world.group):
        org.refresh_from_db()
    w = world
    # -- party life ----------------------------------------------------------------------
    meeting(
        w.branch,
        MeetingKind.THEME_DAY,
        at(5, 10),
        {w.member: Status.PRESENT, w.secretary: Status.PRESENT, w.group_leader: Status.LEAVE},
    )
    meeting(
        w.branch,
        MeetingKind.GENERAL_MEETING,
        at(5, 14),
        {w.secretary: Status.PRESENT},
        quorate=False,
    )
    meeting(
        w.branch,
        MeetingKind.COMMITTEE_MEETING,
        at(5, 12),
        {w.member: Status.ABSENT},
        status=Meeting.Status.DRAFT,
    )
    meeting(
        w.branch,
        MeetingKind.PARTY_LESSON,
        at(4, 15),
        {w.member: Status.PRESENT, w.secretary: Status.PRESENT},
    )
    meeting(
        w.group,
        MeetingKind.GROUP_MEETING,
        at(5, 8),
        {w.member: Status.PRESENT, w.group_leader: Status.PRESENT},
    )
    meeting(w.other_branch, MeetingKind.THEME_DAY, at(5, 11), {w.other_member: Status.ABSENT})
    meeting(
        w.committee,
        MeetingKind.CENTRAL_STUDY,
        at(5, 5),
        {w.committee_secretary: Status.PRESENT, w.general_secretary: Status.PRESENT},
    )
    # -- liaison --------------------------------------------------------------------------
    may_visit = visit(w.member, w.masses, datetime.date(2026, 5, 3), w.branch)
    visit(w.member, w.masses, datetime.date(2026, 4, 20), w.branch)
    visit(w.other_member, w.other_secretary, datetime.date(2026, 5, 6), w.other_branch)
    Opinion.objects.create(
        text="收货窗口太少",
        source=Opinion.Source.VISIT,
        visit=may_visit,
        raised_by=w.masses,
        organisation=w.branch,
        raised_on=datetime.date(2026, 5, 3),
    )
    day = datetime.date
    problem(
        w.branch,
        w.member,
        w.masses,
        registered=at(3, 1),
        deadline=day(2026, 3, 31),
        resolved=at(3, 20),
        written_off=at(5, 2),
    )  # P1
    problem(w.branch, w.member, w.masses, registered=at(4, 1), deadline=day(2026, 4, 30))  # P2
    problem(w.branch, w.member, w.masses, registered=at(5, 10), deadline=day(2026, 6, 30))  # P3
    problem(
        w.branch,
        w.member,
        w.masses,
        registered=at(2, 1),
        deadline=day(2026, 2, 10),
        resolved=at(4, 5),
        written_off=at(5, 15),
    )  # P4
    problem(
        w.other_branch,
        w.other_member,
        w.other_member,
        registered=at(5, 12),
        deadline=day(2026, 5, 15),
    )  # P5
    # -- development ----------------------------------------------------------------------
    Candidacy.objects.create(person=w.masses, branch=w.branch, applied_on=day(2026, 5, 4))
    newcomer = make_member(w.branch, status=Person.Status.PROBATIONARY, name="郑预备")
    Candidacy.objects.create(
        person=newcomer,
        branch=w.branch,
        stage=Stage.PROBATIONARY,
        applied_on=day(2024, 3, 1),
        activist_on=day(2024, 5, 1),
        candidate_on=day(2025, 6, 1),
        admitted_on=day(2026, 5, 10),
    )
    # -- study ----------------------------------------------------------------------------
    material = make_material(w.branch, title="党章学习", assign_to=False)
    CreditEntry.objects.create(
        person=w.member,
        rule=CreditRule.objects.get(event=CreditRule.Event.READ),
        material=material,
        points=Decimal("2.0"),
        earned_on=day(2026, 5, 6),
    )
    # -- assessments ----------------------------------------------------------------------
    scheme = make_scheme(2026)
    BranchAssessment.objects.create(
        scheme=scheme, branch=w.branch, state=AssessmentState.APPROVED, grade=Grade.EXCELLENT
    )
    BranchAssessment.objects.create(scheme=scheme, branch=w.other_branch)
    appraisal = Appraisal.objects.create(
        scheme=scheme, branch=w.branch, state=Appraisal.State.DECIDED, decided_on=day(2026, 5, 9)
    )
    AppraisalEntry.objects.create(
        appraisal=appraisal, person=w.member, decided_grade=AppraisalGrade.EXCELLENT
    )
    AppraisalEntry.objects.create(
        appraisal=appraisal, person=w.secretary, decided_grade=AppraisalGrade.QUALIFIED
    )
    RedFlag.objects.create(month=MAY, branch=w.branch, score=90, awarded_at=NOW)
    # -- compliance (the lead's maintained summary) --------------------------------------
    compliance(w.branch, 3, 1)
    compliance(w.group, 1, 1)
    compliance(w.other_branch, 3, 1)
    compliance(w.committee, 2, 1)
    summary.refresh(2026, now=NOW)


def grow(world, n: int, *, tag: str = "新") -> None:
    """`n` more branches under the general branch, each with a group, four members, a
    month of meetings with attendance, visits, problems and compliance rows; then the
    summary refreshed again."""
    back = Segment.objects.get(code="back")
    category = ProblemCategory.objects.order_by("pk").first()
    for i in range(n):
        world.general.refresh_from_db()
        branch = make_org(f"{tag}支部{i}", Organisation.Kind.BRANCH, world.general, segment=back)
        group = make_org(f"{tag}支部{i}第一党小组", Organisation.Kind.GROUP, branch)
        people = [make_member(branch, group=group) for _ in range(4)]
        meeting(branch, MeetingKind.THEME_DAY, at(5, 9), dict.fromkeys(people, Status.PRESENT))
        meeting(group, MeetingKind.GROUP_MEETING, at(5, 7), dict.fromkeys(people, Status.PRESENT))
        visit(people[0], people[1], datetime.date(2026, 5, 4), branch)
        Problem.objects.create(
            title="问题",
            category=category,
            organisation=branch,
            owner=people[0],
            raised_by=people[1],
            registered_at=at(5, 4),
            deadline=datetime.date(2026, 5, 30),
        )
        compliance(branch, 3, 2)
        compliance(group, 1, 1)
    summary.refresh(2026, now=NOW)
