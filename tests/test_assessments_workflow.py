"""Branch standards assessment: the scheme's checks, the scores computed from the
portal's data, the entered scores, and the workflow's legal and illegal moves."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments import indicators, services
from assessments.models import AssessmentEvent, AssessmentState, CriterionGroup, Grade
from meetings import services as meetings
from meetings.models import MeetingKind
from tests.assessments_helpers import YEAR, make_scheme

User = get_user_model()
Action = AssessmentEvent.Action
State = AssessmentState
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in their English source."""
    with translation.override("en"):
        yield


def user(name: str):
    return User.objects.get(username=name)


def _general_meeting(world, statuses: dict) -> None:
    meeting = meetings.meeting_create(
        organisation=world.branch, kind=MeetingKind.GENERAL_MEETING,
        data=meetings.MeetingData(held_at=datetime.datetime(YEAR, 3, 10, 15, tzinfo=SH),
                                  topic="党员大会"),
        by=world.secretary.user,
        attendance=[meetings.AttendanceEntry(person.pk, status, "出差" if status == "leave"
                                             else "")
                    for person, status in statuses.items()])
    meetings.meeting_submit(meeting=meeting, by=world.secretary.user)


@pytest.fixture
def scheme(db):
    return make_scheme()


@pytest.fixture
def assessment(world, scheme):
    world.branch.refresh_from_db()
    return services.assessment_open(scheme=scheme, branch=world.branch)


def _enter(assessment, value: str, evidence: str = "报表"):
    manual = assessment.scores.get(criterion__name="供应及时率")
    return services.scores_enter(assessment=assessment,
                                 entries={manual.pk: services.ScoreEntry(Decimal(value),
                                                                         evidence)})


# --- The scheme --------------------------------------------------------------------


def test_it_refuses_to_activate_a_scheme_whose_weights_do_not_add_up(db):
    scheme = make_scheme(activate=False)
    CriterionGroup.objects.filter(scheme=scheme, name="业务指标").update(weight=30)
    with pytest.raises(ValidationError) as error:
        services.scheme_activate(scheme=scheme)
    assert "The group weights add up to 90, not 100." in error.value.messages
    scheme.refresh_from_db()
    assert scheme.state == "draft"


def test_it_refuses_to_open_an_assessment_under_an_inactive_scheme(world):
    scheme = make_scheme(activate=False)
    with pytest.raises(ValidationError, match="not active"):
        services.assessment_open(scheme=scheme, branch=world.branch)


# --- Computed scores on known data -------------------------------------------------------


def test_it_computes_the_attendance_rate_from_the_meetings(world, scheme):
    # Party members of the branch: member, secretary, group leader (not the masses).
    _general_meeting(world, {world.member: "present", world.secretary: "present",
                             world.group_leader: "absent"})
    world.branch.refresh_from_db()
    reading = indicators.read("attendance_rate", [world.branch],
                              start=datetime.date(YEAR, 1, 1),
                              end=datetime.date(YEAR, 12, 31))[world.branch.pk]
    assert reading.value == Decimal("0.6667")
    assert "2 present of 3 expected at 1 counted meetings" in reading.evidence

    assessment = services.assessment_open(scheme=scheme, branch=world.branch)
    score = assessment.scores.get(criterion__name="参会率")
    assert score.computed_value == Decimal("6.67")
    assert "2 present of 3" in score.computed_evidence


def test_it_computes_visits_per_member_and_members_developed(world):
    from liaison import services as liaison

    liaison.visit_file(visitor=world.member, opinions=[], data=liaison.VisitData(
        visited=world.masses, visited_on=datetime.date(YEAR, 4, 1), method="phone",
        discussion="问候"))
    world.branch.refresh_from_db()
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    visits = indicators.read("visits_per_member", [world.branch], start=start, end=end)
    assert visits[world.branch.pk].value == Decimal("0.33")  # 1 visit, 3 party members
    developed = indicators.read("members_developed", [world.branch], start=start, end=end)
    assert developed[world.branch.pk].value == 0


def test_it_totals_by_group_weight_and_grades_by_the_thresholds(world, assessment):
    # Nothing held: attendance scores nothing; business 20/20 → 40 of 100.
    assessment = _enter(assessment, "20")
    assert assessment.total == Decimal("40.00")
    assert assessment.grade == Grade.SUBSTANDARD
    score = assessment.scores.get(criterion__name="参会率")
    services.scores_enter(assessment=assessment,
                          entries={score.pk: services.ScoreEntry(Decimal("9"), "签到表")})
    assessment.refresh_from_db()
    assert assessment.total == Decimal("94.00")  # 60 × 9/10 + 40
    assert assessment.grade == Grade.EXCELLENT


# --- Entered scores ------------------------------------------------------------------


def test_it_refuses_a_score_above_the_maximum(assessment):
    with pytest.raises(ValidationError) as error:
        _enter(assessment, "25")
    assert error.value.messages == ["供应及时率: the score 25 is above the maximum of 20."]
    assert assessment.scores.get(criterion__name="供应及时率").entered_value is None


def test_it_refuses_to_submit_with_a_hand_scored_criterion_empty(world, assessment):
    with pytest.raises(ValidationError, match="Enter a score for: 供应及时率"):
        services.assessment_transition(assessment=assessment, action=Action.SUBMIT,
                                       by=user("secretary"))
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


# --- The workflow --------------------------------------------------------------------


def test_it_runs_submit_review_return_resubmit_approve(world, assessment):
    _enter(assessment, "18")
    step = services.assessment_transition
    step(assessment=assessment, action=Action.SUBMIT, by=user("secretary"))
    step(assessment=assessment, action=Action.REVIEW, by=user("general"))
    step(assessment=assessment, action=Action.RETURN, by=user("committee"),
         comment="补充供应及时率报表")
    assert assessment.state == State.RETURNED
    assert assessment.last_comment == "补充供应及时率报表"
    _enter(assessment, "19", "补充后的报表")
    step(assessment=assessment, action=Action.SUBMIT, by=user("secretary"))
    step(assessment=assessment, action=Action.APPROVE, by=user("committee"))

    assessment.refresh_from_db()
    assert assessment.state == State.APPROVED
    assert assessment.total == Decimal("38.00")
    events = list(assessment.events.values_list("action", "from_state", "to_state",
                                                "by__username"))
    assert events == [
        ("submit", "draft", "submitted", "secretary"),
        ("review", "submitted", "reviewed", "general"),
        ("return", "reviewed", "returned", "committee"),
        ("submit", "returned", "submitted", "secretary"),
        ("approve", "submitted", "approved", "committee"),
    ]
    assert assessment.history.count() >= 6


def test_it_refuses_to_approve_an_assessment_that_was_not_submitted(world, assessment):
    with pytest.raises(ValidationError,
                       match="Only a submitted or reviewed assessment can be approved"):
        services.assessment_transition(assessment=assessment, action=Action.APPROVE,
                                       by=user("committee"))
    assert not assessment.events.exists()


def test_it_refuses_every_change_after_approval(world, assessment):
    _enter(assessment, "18")
    services.assessment_transition(assessment=assessment, action=Action.SUBMIT,
                                   by=user("secretary"))
    services.assessment_transition(assessment=assessment, action=Action.APPROVE,
                                   by=user("committee"))
    final = "This assessment is approved and can no longer be changed."
    with pytest.raises(ValidationError, match=final):
        _enter(assessment, "10")
    with pytest.raises(ValidationError, match=final):
        services.assessment_compute(assessment=assessment)
    for action in (Action.RETURN, Action.SUBMIT, Action.APPROVE):
        with pytest.raises(ValidationError, match=final):
            services.assessment_transition(assessment=assessment, action=action,
                                           by=user("committee"), comment="再改")


@pytest.mark.parametrize(("persona", "action"), [
    ("other_secretary", Action.SUBMIT),   # another branch
    ("member", Action.SUBMIT),            # no post
    ("secretary", Action.REVIEW),         # the branch cannot review itself
    ("general", Action.APPROVE),          # only the committee decides
])
def test_it_refuses_a_step_the_users_posts_do_not_allow(world, assessment, persona, action):
    _enter(assessment, "18")
    if action != Action.SUBMIT:
        services.assessment_transition(assessment=assessment, action=Action.SUBMIT,
                                       by=user("secretary"))
    with pytest.raises(ValidationError, match="Your posts do not allow"):
        services.assessment_transition(assessment=assessment, action=action,
                                       by=user(persona))


def test_it_refuses_a_return_without_a_reason(world, assessment):
    _enter(assessment, "18")
    services.assessment_transition(assessment=assessment, action=Action.SUBMIT,
                                   by=user("secretary"))
    with pytest.raises(ValidationError, match=r"Say why the assessment is returned\."):
        services.assessment_transition(assessment=assessment, action=Action.RETURN,
                                       by=user("committee"), comment="  ")


def test_it_lets_the_general_branch_return_a_submitted_one_but_not_a_reviewed_one(
        world, assessment):
    _enter(assessment, "18")
    step = services.assessment_transition
    step(assessment=assessment, action=Action.SUBMIT, by=user("secretary"))
    step(assessment=assessment, action=Action.REVIEW, by=user("general"))
    with pytest.raises(ValidationError, match="Your posts do not allow"):
        step(assessment=assessment, action=Action.RETURN, by=user("general"), comment="退回")
    assert services.allowed_actions(user=user("committee"), assessment=assessment) == [
        Action.RETURN, Action.APPROVE]


def test_it_refuses_a_review_from_a_draft(world, assessment):
    with pytest.raises(ValidationError, match="Only a submitted assessment can be reviewed"):
        services.assessment_transition(assessment=assessment, action=Action.REVIEW,
                                       by=user("general"))
