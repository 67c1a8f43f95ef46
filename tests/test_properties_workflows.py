"""The workflows as state machines, driven by random sequences of steps (hypothesis):
member development, membership transfers, the branch assessment and elections.

For each: only the legal transitions succeed; a refused step raises ValidationError
and changes nothing (the row, its history, its timeline); every change is recorded;
dates never run backwards. Each example runs in a savepoint rolled back at its end.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import services as assessments
from assessments.models import AssessmentEvent, AssessmentState, BranchAssessment
from development.models import Candidacy, Event, Stage
from development.services import Decision, candidacy_open, development_advance
from elections.models import Election
from elections.services import (
    candidate_add,
    candidates_approve,
    election_create,
    election_result_confirm,
    election_update,
    vote_record,
)
from members.models import Person
from tests.assessments_helpers import make_scheme
from tests.factories import make_member
from transfers.models import Transfer
from transfers.services import (
    TransferData,
    transfer_cancel,
    transfer_confirm,
    transfer_issue,
    transfer_receive,
)

D = datetime.date
PROPERTIES = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def fresh(world):
    for org in (world.committee, world.general, world.branch, world.other_branch):
        org.refresh_from_db()  # a sibling sorted before it renumbered its path


def rolled_back(run):
    """Run one example in a savepoint that is rolled back, so examples are independent."""
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


def row(obj) -> dict:
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def refused_changes_nothing(call, *watched) -> bool:
    """Run `call`; True when it succeeded. When it raises ValidationError, every
    watched row and count must be as before."""
    before = [w() for w in watched]
    try:
        call()
    except ValidationError:
        assert [w() for w in watched] == before
        return False
    return True


# --- Member development ----------------------------------------------------------------

# The stages each step may start from (the pipeline's order), and where it leads.
STEP_FROM = {
    "talk": {Stage.APPLICANT},
    "activist": {Stage.APPLICANT},
    "assess": {Stage.ACTIVIST, Stage.CANDIDATE},
    "candidate": {Stage.ACTIVIST},
    "review": {Stage.CANDIDATE},
    "train": {Stage.CANDIDATE},
    "introducers": {Stage.CANDIDATE},
    "admit": {Stage.CANDIDATE},
    "approve": {Stage.PROBATIONARY},
    "conclude": {Stage.PROBATIONARY},
    "withdraw": {Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE},
}
STEP_TO = {
    "activist": Stage.ACTIVIST,
    "candidate": Stage.CANDIDATE,
    "admit": Stage.PROBATIONARY,
    "withdraw": Stage.CANCELLED,
}
STATUS_OF_STAGE = {
    Stage.APPLICANT: Person.Status.APPLICANT,
    Stage.ACTIVIST: Person.Status.ACTIVIST,
    Stage.CANDIDATE: Person.Status.CANDIDATE,
    Stage.PROBATIONARY: Person.Status.PROBATIONARY,
    Stage.FULL: Person.Status.FULL,
    Stage.CANCELLED: Person.Status.MASSES,
}
# Each date of the record is on or after the one before it in the pipeline.
DATE_ORDER = [
    ("applied_on", "talked_on"),
    ("talked_on", "activist_on"),
    ("activist_on", "activist_filed_on"),
    ("activist_on", "candidate_on"),
    ("candidate_on", "reviewed_on"),
    ("candidate_on", "training_from"),
    ("training_from", "training_to"),
    ("reviewed_on", "admitted_on"),
    ("training_to", "admitted_on"),
    ("admitted_on", "approved_on"),
    ("applied_on", "closed_on"),
]
development_steps = st.lists(
    st.tuples(
        st.sampled_from([*STEP_FROM, *["next"] * 8]), st.integers(-40, 400), st.integers(0, 3)
    ),
    max_size=14,
)


def _next_step(record: Candidacy) -> tuple[str, int]:
    """The step a record calls for, and how many days after the last one (so that
    sequences get far down the pipeline; the service still checks everything)."""
    if record.stage == Stage.APPLICANT:
        return ("activist", 20) if record.talked_on else ("talk", 20)
    if record.stage == Stage.ACTIVIST:
        return ("candidate", 10) if record.assessments.count() >= 2 else ("assess", 183)
    if record.stage == Stage.CANDIDATE:
        if not record.reviewed_on:
            return "review", 10
        if not record.training_to:
            return "train", 10
        return ("introducers", 10) if not record.introducers.exists() else ("admit", 10)
    if record.stage == Stage.PROBATIONARY:
        return ("approve", 30) if not record.approved_on else ("conclude", 370)
    return "withdraw", 1


def _step_data(step: str, on: datetime.date, variant: int, full_members: list) -> dict:
    if step == "activist":
        return {
            "on": on,
            "filed_on": on + datetime.timedelta(days=variant),
            "contacts": full_members[:variant],
        }
    if step in ("assess", "review"):
        return {"on": on, "conclusion": "" if variant == 0 else "表现良好"}
    if step == "train":
        return {
            "start": on,
            "end": on + datetime.timedelta(days=4),
            "days": 5 - variant,
            "hours": 8 * variant,
        }
    if step == "introducers":
        return {"on": on, "people": full_members[1 : 1 + variant]}
    if step == "conclude":
        decision = (Decision.FULL, Decision.FULL, Decision.EXTEND, Decision.CANCEL)[variant]
        return {"on": on, "decision": decision, "months": 6 if variant == 2 else None}
    if step == "withdraw":
        return {"on": on, "reason": "" if variant == 0 else "本人申请"}
    return {"on": on}


def test_the_development_pipeline_takes_only_legal_steps_in_order(world):
    full_members = [world.secretary, world.group_leader, world.member]
    today = D(2040, 1, 1)

    @PROPERTIES
    @given(ahead=st.integers(0, 10), steps=development_steps)
    def check(ahead, steps):
        # Start `ahead` good steps down the pipeline, so every stage gets its turn.
        steps = [("next", 0, 1)] * ahead + steps

        def run():
            person = make_member(
                world.branch, status=Person.Status.MASSES, birth_date=D(1995, 1, 1)
            )
            candidacy = candidacy_open(
                person=person, branch=world.branch, applied_on=D(2020, 1, 6), today=today
            )
            cursor = candidacy.applied_on
            for step, delta, variant in steps:
                record = Candidacy.objects.get(pk=candidacy.pk)
                if step == "next":
                    step, delta = _next_step(record)
                    variant = variant if step == "conclude" else 2  # the decision is drawn
                on = cursor + datetime.timedelta(days=delta)
                events = Event.objects.filter(candidacy=candidacy).count()
                done = refused_changes_nothing(
                    lambda step=step, on=on, variant=variant: development_advance(
                        candidacy=candidacy,
                        step=step,
                        today=today,
                        **_step_data(step, on, variant, full_members),
                    ),
                    lambda: row(candidacy),
                    lambda: row(person),
                    lambda: Event.objects.filter(candidacy=candidacy).count(),
                    lambda: candidacy.history.count(),
                )
                after = Candidacy.objects.get(pk=candidacy.pk)
                if done:
                    assert record.stage in STEP_FROM[step], f"{step} from {record.stage}"
                    assert after.stage == STEP_TO.get(step, after.stage)
                    assert Event.objects.filter(candidacy=candidacy).count() > events
                    cursor = max(cursor, on)
                else:
                    assert after.stage == record.stage
                person.refresh_from_db()
                assert person.status == STATUS_OF_STAGE[after.stage]
                for earlier, later in DATE_ORDER:
                    first, second = getattr(after, earlier), getattr(after, later)
                    assert first is None or second is None or first <= second, (earlier, later)

        rolled_back(run)

    check()


# --- Membership transfers ----------------------------------------------------------------

Status = Transfer.Status
TRANSFER_STEPS = {
    "receive": transfer_receive,
    "confirm": transfer_confirm,
    "cancel": transfer_cancel,
}
# The moves that change a transfer; asking again for the state it is in changes nothing.
TRANSFER_MOVES = {
    ("receive", Status.ISSUED): Status.RECEIVED,
    ("confirm", Status.RECEIVED): Status.CONFIRMED,
    ("cancel", Status.ISSUED): Status.CANCELLED,
    ("cancel", Status.RECEIVED): Status.CANCELLED,
}
TRANSFER_AGAIN = {
    ("receive", Status.RECEIVED),
    ("receive", Status.CONFIRMED),
    ("confirm", Status.CONFIRMED),
    ("cancel", Status.CANCELLED),
}


@PROPERTIES
@given(
    steps=st.lists(
        st.tuples(st.sampled_from([*TRANSFER_STEPS, "next", "next"]), st.integers(-20, 40)),
        max_size=8,
    ),
    effective_after=st.integers(0, 30),
)
def test_a_transfer_goes_issued_received_confirmed_or_cancelled(world, steps, effective_after):
    def run():
        issued = D(2026, 3, 1)
        transfer = transfer_issue(
            by=None,
            data=TransferData(
                person=world.member,
                direction="within",
                letter_no="001",
                issued_on=issued,
                effective_on=issued + datetime.timedelta(days=effective_after),
                from_branch=world.branch,
                to_branch=world.other_branch,
            ),
        )
        for step, offset in steps:
            before = Transfer.objects.get(pk=transfer.pk)
            if step == "next":  # the step the letter calls for, on a good day
                step = {Status.ISSUED: "receive", Status.RECEIVED: "confirm"}.get(
                    before.status, "cancel"
                )
                offset = effective_after + abs(offset) % 5
            on = issued + datetime.timedelta(days=offset)
            history = transfer.history.count()
            try:
                changed = TRANSFER_STEPS[step](transfer=transfer, on=on, by=None)
            except ValidationError:
                assert row(transfer) == model_to_dict(before)
                assert transfer.history.count() == history
                assert (step, before.status) not in TRANSFER_AGAIN
                continue
            after = Transfer.objects.get(pk=transfer.pk)
            if changed:
                assert after.status == TRANSFER_MOVES[(step, before.status)]
                assert transfer.history.count() == history + 1
            else:
                assert (step, before.status) in TRANSFER_AGAIN
                assert model_to_dict(after) == model_to_dict(before)
            assert after.received_on is None or after.received_on >= after.issued_on
            assert after.confirmed_on is None or after.confirmed_on >= after.effective_on
            person = Person.objects.get(pk=world.member.pk)
            moved = after.status == Status.CONFIRMED
            assert person.branch_id == (world.other_branch if moved else world.branch).pk

    rolled_back(run)


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
