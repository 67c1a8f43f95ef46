"""The workflows as state machines, driven by random sequences of steps (hypothesis):
member development and membership transfers (the branch assessment and elections:
test_properties_reviews.py).

For each: only the legal transitions succeed; a refused step raises ValidationError
and changes nothing (the row, its history, its timeline); every change is recorded;
dates never run backwards. Each example runs in a savepoint rolled back at its end.
"""

import datetime

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from hypothesis import given
from hypothesis import strategies as st

from development.models import Candidacy, Event, Stage
from development.services import Decision, candidacy_open, development_advance
from members.models import Person
from tests.factories import make_member
from tests.workflow_properties import (
    PROPERTIES,
    D,
    fresh,  # noqa: F401 - an autouse fixture
    refused_changes_nothing,
    rolled_back,
    row,
)
from transfers.models import Transfer
from transfers.services import (
    TransferData,
    transfer_cancel,
    transfer_confirm,
    transfer_issue,
    transfer_receive,
)

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
