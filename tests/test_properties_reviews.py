"""The branch assessment and elections as state machines, driven by random sequences
of steps (hypothesis); see test_properties_workflows.py for what each test checks."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from assessments import services as assessments
from assessments.models import AssessmentEvent, AssessmentState, BranchAssessment
from elections.models import Election
from elections.services import (
    candidate_add,
    candidates_approve,
    election_create,
    election_result_confirm,
    election_update,
    vote_record,
)
from tests.assessments_helpers import make_scheme
from tests.workflow_properties import (
    PROPERTIES,
    D,
    fresh,  # noqa: F401 - an autouse fixture
    refused_changes_nothing,
    rolled_back,
    row,
)

# --- The branch assessment ----------------------------------------------------------------

Action = AssessmentEvent.Action
AState = AssessmentState
# Who may do what (the committee's secretary decides; the general branch reviews).
MAY = {
    Action.SUBMIT: {"secretary", "general", "committee"},
    Action.REVIEW: {"general"},
    Action.RETURN: {"committee", "general"},
    Action.APPROVE: {"committee"},
}
PERSONAS = ("secretary", "general", "committee", "member")


def _assessment_allowed(state, action, who, comment, complete) -> bool:
    sources, _target = assessments.TRANSITIONS[action]
    if state not in sources or who not in MAY[action]:
        return False
    if action == Action.RETURN and who == "general" and state != AState.SUBMITTED:
        return False
    if action == Action.RETURN and not comment.strip():
        return False
    return not (action == Action.SUBMIT and not complete)


def _next_move(assessment: BranchAssessment, manual, variant: int) -> tuple:
    """The move the assessment's state calls for, by someone who may make it."""
    if assessment.state in (AState.DRAFT, AState.RETURNED):
        if type(manual).objects.get(pk=manual.pk).entered_value is None:
            return ("score", "12")
        return (Action.SUBMIT, "secretary", "")
    if assessment.state == AState.SUBMITTED and variant == 0:
        return (Action.REVIEW, "general", "")
    if variant == 2:
        return (Action.RETURN, "committee", "补充材料")
    return (Action.APPROVE, "committee", "")


@PROPERTIES
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("score"), st.sampled_from(["", "12", "20", "25", "-1"])),
            st.tuples(
                st.sampled_from(list(assessments.TRANSITIONS)),
                st.sampled_from(PERSONAS),
                st.sampled_from(["", "补充材料"]),
            ),
            st.tuples(st.just("next"), st.integers(0, 2)),
            st.tuples(st.just("next"), st.integers(0, 2)),
        ),
        max_size=10,
    )
)
def test_the_assessment_moves_only_along_its_transitions(world, steps):
    users = {name: get_user_model().objects.get(username=name) for name in PERSONAS}

    def run():
        assessment = assessments.assessment_open(scheme=make_scheme(), branch=world.branch)
        manual = assessment.scores.get(criterion__name="供应及时率")
        for step in steps:
            before = BranchAssessment.objects.get(pk=assessment.pk)
            events = assessment.events.count()
            if step[0] == "next":
                step = _next_move(before, manual, step[1])
            if step[0] == "score":
                value = Decimal(step[1]) if step[1] else None
                refused_changes_nothing(
                    lambda value=value: assessments.scores_enter(
                        assessment=assessment,
                        entries={manual.pk: assessments.ScoreEntry(value, "")},
                    ),
                    lambda: row(manual),
                    lambda: BranchAssessment.objects.get(pk=assessment.pk).state,
                )
                continue
            action, who, comment = step
            complete = manual.__class__.objects.get(pk=manual.pk).entered_value is not None
            allowed = _assessment_allowed(before.state, action, who, comment, complete)
            history = assessment.history.count()
            done = refused_changes_nothing(
                lambda action=action, who=who, comment=comment: assessments.assessment_transition(
                    assessment=BranchAssessment.objects.get(pk=assessment.pk),
                    action=action,
                    by=users[who],
                    comment=comment,
                ),
                lambda: BranchAssessment.objects.get(pk=assessment.pk).state,
                lambda: assessment.events.count(),
                lambda: assessment.history.count(),
            )
            assert done == allowed, (action, who, before.state, comment, complete)
            after = BranchAssessment.objects.get(pk=assessment.pk)
            if done:
                assert after.state == assessments.TRANSITIONS[action][1]
                assert assessment.events.count() == events + 1
                assert assessment.history.count() > history
        moments = list(assessment.events.order_by("pk").values_list("at", flat=True))
        assert moments == sorted(moments)

    rolled_back(run)


# --- Elections -----------------------------------------------------------------------------

EStatus = Election.Status
ELECTION_FROM = {
    "update": {EStatus.PLANNED},
    "candidate": {EStatus.PLANNED},
    "approve": {EStatus.PLANNED},
    "vote": {EStatus.APPROVED, EStatus.HELD},
    "confirm": {EStatus.HELD},
}
ELECTION_TO = {"approve": EStatus.APPROVED, "vote": EStatus.HELD, "confirm": EStatus.EFFECTIVE}


def _election_step(step: str, election: Election, a: int, b: int, people: list):
    """The call for one step, its numbers drawn from `a` and `b`."""
    candidates = list(election.candidates.order_by("pk"))
    if step == "update":
        return lambda: election_update(
            election=election,
            seats=1 + a % 2,
            planned_on=D(2026, 6, 1 + b),
            is_contested=bool(b % 2),
        )
    if step == "candidate":
        return lambda: candidate_add(election=election, person=people[a % 4])
    if step == "approve":
        return lambda: candidates_approve(
            election=election, approved_on=D(2026, 5, 1 + b), document=f"组字〔2026〕{a}号", by=None
        )
    if step == "vote":
        return lambda: vote_record(
            election=election,
            held_on=D(2026, 6, 1 + b),
            entitled=4,
            present=4 - a % 2,
            valid_ballots=4 - a % 3,
            votes={c.pk: (b + i) % 5 for i, c in enumerate(candidates)},
        )
    return lambda: election_result_confirm(
        election=election,
        effective_on=D(2026, 6, 10 - b),
        by=None,
        roles={c.pk: "secretary" if a else "" for c in candidates},
    )


@PROPERTIES
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([*ELECTION_FROM, "candidate", *["next"] * 5]),
            st.integers(0, 4),
            st.integers(0, 6),
        ),
        max_size=10,
    )
)
def test_an_election_moves_only_forward(world, steps):
    people = [world.member, world.secretary, world.group_leader, world.masses]

    def run():
        election = election_create(
            organisation=world.branch,
            kind=Election.Kind.REGULAR,
            seats=1,
            planned_on=D(2026, 6, 1),
            is_contested=False,
            by=None,
        )
        for step, a, b in steps:
            before = Election.objects.get(pk=election.pk)
            if step == "next":  # the step the election calls for, with numbers that carry it
                step, a, b = {
                    EStatus.PLANNED: (
                        "approve" if election.candidates.exists() else "candidate",
                        0,
                        0,
                    ),
                    EStatus.APPROVED: ("vote", 0, 4),  # 4 of 4 present, the first has 4 votes
                    EStatus.HELD: ("confirm", 1, 0),
                }.get(before.status, ("update", a, b))
            history = election.history.count()
            done = refused_changes_nothing(
                _election_step(step, election, a, b, people),
                lambda: row(election),
                lambda: election.history.count(),
                lambda: list(election.candidates.values_list("pk", "votes", "is_elected")),
            )
            after = Election.objects.get(pk=election.pk)
            if done:
                assert before.status in ELECTION_FROM[step], (step, before.status)
                assert after.status == ELECTION_TO.get(step, before.status)
                if step != "candidate":
                    assert election.history.count() == history + 1
            else:
                assert after.status == before.status
            if after.held_on and after.effective_on:
                assert after.effective_on >= after.held_on

    rolled_back(run)
