"""The problem ledger's state machine and its bad input: every legal and illegal move,
who may make each, and refusals that leave nothing half-saved."""

import datetime
import itertools
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from liaison.models import Opinion, Pairing, Problem, ProblemCategory, ProblemEvent, Visit
from liaison.services import (
    MOVES,
    Action,
    Feedback,
    VisitData,
    pairing_create,
    problem_register,
    problem_transition,
    visit_file,
)
from members.models import Person
from tests.concurrency import at_once
from tests.factories import make_member

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 10, 10, tzinfo=SH)
TODAY = NOW.date()
State = Problem.State


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()
    # Messages are matched in English, the source language, whatever the catalogue says.
    with translation.override("en"):
        yield


def make_problem(world, *, deadline=None, by=None, owner=None, organisation=None,
                 title="仓库收货排队时间长", now=NOW, category="物资管理") -> Problem:
    return problem_register(
        title=title, category=ProblemCategory.objects.get(name=category),
        organisation=organisation or world.branch, owner=owner or world.member,
        raised_by=world.masses, deadline=deadline or TODAY + datetime.timedelta(days=10),
        by=by or world.secretary.user, now=now,
    )


def drive(problem: Problem, state: str, by) -> Problem:
    """Bring a fresh problem to `state` by legal moves."""
    path = {
        State.REGISTERED: [],
        State.IN_PROGRESS: [Action.START],
        State.RESOLVED: [Action.START, Action.RESOLVE],
        State.FEEDBACK_GIVEN: [Action.START, Action.RESOLVE, Action.GIVE_FEEDBACK],
        State.WRITTEN_OFF: [Action.START, Action.RESOLVE, Action.GIVE_FEEDBACK,
                            Action.WRITE_OFF],
    }[state]
    for action in path:
        problem = move(problem, action, by)
    return problem


def move(problem, action, by, *, satisfied=True):
    return problem_transition(
        problem=problem, action=action, by=by, note="已协调仓库增加收货窗口",
        feedback=Feedback(method="phone", satisfied=satisfied), deadline=TODAY, now=NOW,
    )


LEGAL = {(state, action) for action, m in MOVES.items() for state in m.sources}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(
    State.values, [a for a in Action if a in MOVES])))
def test_every_move_from_every_state(world, state, action):
    problem = drive(make_problem(world), state, world.secretary.user)
    events = problem.events.count()
    legal = (state, action) in LEGAL
    if action == Action.REOPEN and legal:
        legal = False  # reopening needs unsatisfied feedback: tested below
    if legal:
        moved = move(problem, action, world.secretary.user)
        assert moved.state == MOVES[action].target
        event = moved.events.last()
        assert (event.from_state, event.to_state, event.action) == (state, moved.state, action)
        assert event.by == world.secretary
        assert moved.events.count() == events + 1
    else:
        with pytest.raises(ValidationError):
            move(problem, action, world.secretary.user)
        problem.refresh_from_db()
        assert problem.state == state
        assert problem.events.count() == events


def test_an_unsatisfied_reporter_reopens_the_problem_with_a_new_deadline(world):
    problem = drive(make_problem(world), State.RESOLVED, world.member.user)
    problem = move(problem, Action.GIVE_FEEDBACK, world.member.user, satisfied=False)
    with pytest.raises(ValidationError, match="not satisfied"):
        move(problem, Action.WRITE_OFF, world.secretary.user)
    new_deadline = TODAY + datetime.timedelta(days=7)
    problem = problem_transition(problem=problem, action=Action.REOPEN, by=world.member.user,
                                 deadline=new_deadline, note="对方认为窗口仍不够", now=NOW)
    assert problem.state == State.IN_PROGRESS
    assert problem.deadline == new_deadline and problem.satisfied is None
    assert problem.escalate_after is not None and problem.remind_after is not None


def test_a_satisfied_problem_is_not_reopened(world):
    problem = drive(make_problem(world), State.FEEDBACK_GIVEN, world.secretary.user)
    with pytest.raises(ValidationError, match="satisfied"):
        move(problem, Action.REOPEN, world.secretary.user)


def test_it_refuses_to_write_off_before_feedback(world):
    problem = drive(make_problem(world), State.RESOLVED, world.secretary.user)
    with pytest.raises(ValidationError, match="written off only after"):
        move(problem, Action.WRITE_OFF, world.secretary.user)
    problem.refresh_from_db()
    assert problem.state == State.RESOLVED and problem.written_off_at is None


@pytest.mark.parametrize(("persona", "may"), [
    ("member", False),  # the owner, but not a secretary
    ("group_leader", False),
    ("other_secretary", False),
    ("secretary", True),
    ("general", True),
    ("committee", True),
])
def test_only_a_secretary_or_above_writes_off(world, persona, may):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=persona)
    problem = drive(make_problem(world), State.FEEDBACK_GIVEN, world.secretary.user)
    if may:
        assert move(problem, Action.WRITE_OFF, user).state == State.WRITTEN_OFF
    else:
        with pytest.raises(ValidationError, match="secretary"):
            move(problem, Action.WRITE_OFF, user)
        problem.refresh_from_db()
        assert problem.state == State.FEEDBACK_GIVEN


def test_the_owner_works_the_problem_and_an_outsider_cannot(world):
    problem = make_problem(world, owner=world.member)
    assert move(problem, Action.START, world.member.user).state == State.IN_PROGRESS
    with pytest.raises(ValidationError, match="Only the person responsible"):
        move(problem, Action.RESOLVE, world.other_member.user)


def test_it_refuses_a_deadline_in_the_past_and_saves_nothing(world):
    with pytest.raises(ValidationError, match="in the past"):
        make_problem(world, deadline=TODAY - datetime.timedelta(days=1))
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_it_refuses_to_register_for_an_organisation_the_user_does_not_lead(world):
    with pytest.raises(ValidationError, match="do not lead"):
        make_problem(world, by=world.other_secretary.user)
    with pytest.raises(ValidationError, match="do not lead"):
        make_problem(world, by=world.member.user)
    assert not Problem.objects.exists()


def test_an_opinion_is_registered_once(world):
    visit = visit_file(visitor=world.member, today=TODAY, opinions=["食堂饭菜偏咸"], data=VisitData(
        visited=world.masses, visited_on=TODAY, method="one_to_one", discussion="谈工作生活"))
    opinion = visit.opinions.get()
    problem = problem_register(
        title="食堂饭菜偏咸", category=ProblemCategory.objects.get(name="员工关怀"),
        organisation=world.branch, owner=world.secretary, deadline=TODAY, opinion=opinion,
        by=world.secretary.user, now=NOW)
    assert problem.raised_by == world.masses and problem.events.get().to_state == "registered"
    with pytest.raises(ValidationError, match="already registered"):
        problem_register(
            title="again", category=ProblemCategory.objects.get(name="员工关怀"),
            organisation=world.branch, owner=world.secretary, deadline=TODAY, opinion=opinion,
            by=world.secretary.user, now=NOW)
    assert Problem.objects.count() == 1


def test_the_categories_are_seeded():
    assert list(ProblemCategory.objects.values_list("name", flat=True)) == [
        "物资管理", "优质服务", "员工关怀", "其他"]


# --- Pairings and visits ----------------------------------------------------------------


def colleague(world, name):
    return make_member(world.branch, status=Person.Status.MASSES, name=name)


def test_a_member_is_paired_with_at_most_two_colleagues(world):
    first, second, third = (colleague(world, n) for n in ("甲", "乙", "丙"))
    pairing_create(member=world.member, partner=first, started_on=TODAY)
    pairing_create(member=world.member, partner=second, started_on=TODAY)
    with pytest.raises(ValidationError, match="one or two"):
        pairing_create(member=world.member, partner=third, started_on=TODAY)
    assert Pairing.objects.filter(member=world.member).count() == 2


def test_pairings_are_between_a_member_and_a_non_party_colleague(world):
    with pytest.raises(ValidationError, match="party member"):
        pairing_create(member=world.member, partner=world.other_member, started_on=TODAY)
    with pytest.raises(ValidationError, match="Only a party member"):
        pairing_create(member=world.masses, partner=colleague(world, "丁"), started_on=TODAY)
    assert not Pairing.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_third_pairings_make_one(world):
    pairing_create(member=world.member, partner=colleague(world, "甲"), started_on=TODAY)
    partners = [colleague(world, "乙"), colleague(world, "丙")]
    _, errors = at_once(*(
        lambda p=partner: pairing_create(member=world.member, partner=p, started_on=TODAY)
        for partner in partners
    ))
    assert Pairing.objects.filter(member=world.member).count() == 2
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)


def test_a_visit_outside_the_members_reach_is_refused_and_nothing_saved(world):
    outsider = make_member(world.other_branch, status=Person.Status.MASSES, name="外支部群众")
    data = VisitData(visited=outsider, visited_on=TODAY, method="phone", discussion="问候")
    with pytest.raises(ValidationError, match="within your reach"):
        visit_file(visitor=world.member, data=data, opinions=["意见"], today=TODAY)
    assert not Visit.objects.exists() and not Opinion.objects.exists()
    # Once paired, the same colleague is within reach.
    Pairing.objects.create(member=world.member, partner=outsider, started_on=TODAY)
    visit = visit_file(visitor=world.member, data=data, opinions=["意见"], today=TODAY)
    assert visit.organisation == world.branch and visit.opinions.count() == 1


def test_a_visit_in_the_future_is_refused(world):
    data = VisitData(visited=world.masses, visited_on=TODAY + datetime.timedelta(days=1),
                     method="phone", discussion="问候")
    with pytest.raises(ValidationError, match="future"):
        visit_file(visitor=world.member, data=data, today=TODAY)
    assert not Visit.objects.exists()
