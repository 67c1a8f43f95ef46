"""The problem ledger as a state machine (hypothesis.stateful): registration, start,
resolution, feedback, reopening and write-off, tried in any order by the owner, the
branch secretary and a secretary elsewhere. Only the moves of `MOVES` succeed; a
refused move raises ValidationError and changes nothing; each move is one step of the
timeline and one history row; the dates only move forward."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from liaison import services
from liaison.models import Problem, ProblemCategory, ProblemState
from liaison.services import Action, Actor, Feedback

State = ProblemState
WHO = ("secretary", "member", "other_secretary")
# What each persona is to a problem of 采购合同党支部 owned by the member.
ACTORS = {
    "secretary": {Actor.LEADER, Actor.SECRETARY},
    "member": {Actor.OWNER},
    "other_secretary": set(),
}
SNAPSHOT = (
    "state",
    "resolution",
    "resolved_at",
    "feedback_method",
    "feedback_at",
    "satisfied",
    "deadline",
    "written_off_at",
    "written_off_by_id",
)

# Mostly what a person would enter, sometimes what the service must refuse.
who = st.sampled_from(("secretary", "secretary", "member", "other_secretary"))
minutes = st.integers(1, 3000)
notes = st.one_of(st.text(min_size=1, max_size=20), st.just(""), st.just("  "))
methods = st.sampled_from([*Problem.FeedbackMethod.values, "", "fax"])


def expected(
    problem: Problem,
    action: Action,
    who: str,
    *,
    note: str,
    feedback,
    deadline,
    now: datetime.datetime,
) -> bool:
    """The ledger's rules, written out again independently of the service."""
    move = services.MOVES[action]
    if problem.state not in move.sources or not ACTORS[who] & move.actors:
        return False
    if action == Action.RESOLVE:
        return bool(note.strip())
    if action == Action.GIVE_FEEDBACK:
        return (
            feedback is not None
            and feedback.method in Problem.FeedbackMethod.values
            and (feedback.at or now) <= now
        )
    if action == Action.REOPEN:
        return (
            problem.satisfied is False
            and deadline is not None
            and deadline >= timezone.localdate(now)
        )
    if action == Action.WRITE_OFF:
        return problem.satisfied is True
    return True


class Ledger(RuleBasedStateMachine):
    world = None  # set by the test

    def __init__(self):
        super().__init__()
        # Each run in a savepoint rolled back at its end: runs do not see each other.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        from django.contrib.auth import get_user_model

        self.users = {name: get_user_model().objects.get(username=name) for name in WHO}
        self.now = timezone.now()
        self.problem = services.problem_register(
            title="仓库照明不足",
            category=ProblemCategory.objects.filter(is_active=True).first(),
            organisation=self.world.branch,
            owner=self.world.member,
            raised_by=self.world.masses,
            deadline=timezone.localdate(self.now),
            by=self.users["secretary"],
            now=self.now,
        )
        self.moves = 1  # the registration

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def attempt(self, action, who, *, minutes, note="", feedback=None, deadline=None):
        self.now += datetime.timedelta(minutes=minutes)
        before = Problem.objects.get(pk=self.problem.pk)
        allowed = expected(
            before, action, who, note=note, feedback=feedback, deadline=deadline, now=self.now
        )
        history = before.history.count()
        try:
            services.problem_transition(
                problem=self.problem,
                action=action,
                by=self.users[who],
                note=note,
                feedback=feedback,
                deadline=deadline,
                now=self.now,
            )
        except ValidationError:
            assert not allowed, f"{who} could not {action} a {before.state} problem"
            after = Problem.objects.get(pk=self.problem.pk)
            assert [getattr(after, f) for f in SNAPSHOT] == [getattr(before, f) for f in SNAPSHOT]
            assert after.history.count() == history
            return
        assert allowed, f"{who} made a move the table forbids: {action} on {before.state}"
        after = Problem.objects.get(pk=self.problem.pk)
        assert after.state == services.MOVES[action].target
        assert after.history.count() == history + 1
        self.moves += 1

    @rule(
        who=who,
        minutes=minutes,
        satisfied=st.sampled_from((True, True, False)),
        days=st.integers(0, 30),
    )
    def the_next_move(self, who, minutes, satisfied, days):
        """The move the problem's state calls for, with good input (so runs get far)."""
        problem = Problem.objects.get(pk=self.problem.pk)
        action = {
            State.REGISTERED: Action.START,
            State.IN_PROGRESS: Action.RESOLVE,
            State.RESOLVED: Action.GIVE_FEEDBACK,
        }.get(problem.state)
        if problem.state == State.FEEDBACK_GIVEN:
            action = Action.WRITE_OFF if problem.satisfied else Action.REOPEN
        if action is None:
            return  # written off: nothing is next
        self.attempt(
            action,
            who,
            minutes=minutes,
            note="已处理",
            feedback=Feedback(method="phone", satisfied=satisfied),
            deadline=timezone.localdate(self.now) + datetime.timedelta(days=days),
        )

    @rule(who=who, minutes=minutes)
    def start(self, who, minutes):
        self.attempt(Action.START, who, minutes=minutes)

    @rule(who=who, minutes=minutes, note=notes)
    def resolve(self, who, minutes, note):
        self.attempt(Action.RESOLVE, who, minutes=minutes, note=note)

    @rule(
        who=who,
        minutes=minutes,
        method=methods,
        satisfied=st.booleans(),
        at_minutes=st.one_of(st.none(), st.none(), st.integers(-600, 600)),
    )
    def give_feedback(self, who, minutes, method, satisfied, at_minutes):
        at = None if at_minutes is None else self.now + datetime.timedelta(minutes=at_minutes)
        self.attempt(
            Action.GIVE_FEEDBACK,
            who,
            minutes=minutes,
            feedback=Feedback(method=method, satisfied=satisfied, at=at),
        )

    @rule(who=who, minutes=minutes, days=st.one_of(st.none(), st.integers(-3, 30)))
    def reopen(self, who, minutes, days):
        deadline = (
            None if days is None else (timezone.localdate(self.now) + datetime.timedelta(days=days))
        )
        self.attempt(Action.REOPEN, who, minutes=minutes, deadline=deadline)

    @rule(who=who, minutes=minutes, note=notes)
    def write_off(self, who, minutes, note):
        self.attempt(Action.WRITE_OFF, who, minutes=minutes, note=note)

    @invariant()
    def the_timeline_records_every_move_in_order(self):
        events = list(self.problem.events.order_by("at", "pk"))
        assert len(events) == self.moves
        assert [e.at for e in events] == sorted(e.at for e in events)
        for earlier, later in itertools.pairwise(events):
            assert later.from_state == earlier.to_state  # one unbroken chain of states
        problem = Problem.objects.get(pk=self.problem.pk)
        assert events[-1].to_state == problem.state

    @invariant()
    def the_dates_follow_the_state(self):
        problem = Problem.objects.get(pk=self.problem.pk)
        if problem.state in (State.RESOLVED, State.FEEDBACK_GIVEN, State.WRITTEN_OFF):
            assert problem.registered_at <= problem.resolved_at
        if problem.state in (State.FEEDBACK_GIVEN, State.WRITTEN_OFF):
            assert problem.satisfied is not None and problem.feedback_at is not None
        if problem.state == State.WRITTEN_OFF:
            assert problem.satisfied is True
            assert problem.resolved_at <= problem.written_off_at


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_ledger_makes_only_the_legal_moves(world):
    world.branch.refresh_from_db()  # a sibling sorted before it renumbered its path
    Ledger.world = world
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
