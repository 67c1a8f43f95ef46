"""Reminders and escalations of the problem ledger happen once each: a rerun does
nothing, a missed run catches up, concurrent sweeps escalate once, and a real
worker on real Redis does the same."""

import datetime

import pytest
from django.utils import translation

from liaison.deadlines import (
    PROBLEM_ESCALATED,
    PROBLEM_REMINDER,
    problem_escalations_run,
    problem_reminders_send,
)
from liaison.models import Escalation, Problem, ProblemEvent
from liaison.services import Action, Feedback, problem_transition
from liaison.tasks import escalate_overdue_problems
from notifications.models import Notification
from tests.concurrency import at_once
from tests.test_liaison_ledger import NOW, SH, TODAY, make_problem

DEADLINE = TODAY + datetime.timedelta(days=10)  # 2026-05-20


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()
    # Messages are matched in English, the source language, whatever the catalogue says.
    with translation.override("en"):
        yield


def test_it_reminds_the_owner_once_before_the_deadline(world):
    problem = make_problem(world, deadline=DEADLINE)
    assert problem_reminders_send(now=at(DEADLINE - days(4))) == 0  # too early
    assert problem_reminders_send(now=at(DEADLINE - days(3))) == 1
    assert problem_reminders_send(now=at(DEADLINE - days(2))) == 0  # rerun does nothing
    reminder = Notification.objects.get(reason=PROBLEM_REMINDER)
    assert reminder.recipient == world.member.user
    assert reminder.period_key == f"{problem.pk}:{DEADLINE.isoformat()}"


def test_a_missed_reminder_run_catches_up(world):
    make_problem(world, deadline=DEADLINE)
    # Nothing ran for a week; the run on the deadline day still reminds.
    assert problem_reminders_send(now=at(DEADLINE)) == 1


def test_a_resolved_problem_is_neither_reminded_nor_escalated(world):
    problem = make_problem(world, deadline=DEADLINE)
    problem = problem_transition(problem=problem, action=Action.START, by=world.member.user,
                                 now=NOW)
    problem_transition(problem=problem, action=Action.RESOLVE, by=world.member.user,
                       note="已解决", now=NOW)
    assert problem_reminders_send(now=at(DEADLINE + days(30))) == 0
    assert problem_escalations_run(now=at(DEADLINE + days(30))) == 0


def test_an_overdue_problem_climbs_one_level_at_a_time_each_once(world):
    problem = make_problem(world, deadline=DEADLINE)
    assert problem_escalations_run(now=at(DEADLINE, 23)) == 0  # due the day after
    assert problem_escalations_run(now=at(DEADLINE + days(1))) == 1
    assert problem_escalations_run(now=at(DEADLINE + days(1), 10)) == 0  # rerun
    first = Escalation.objects.get()
    assert (first.level, first.organisation) == (1, world.general)
    general_note = Notification.objects.get(reason=PROBLEM_ESCALATED)
    assert general_note.recipient == world.general_secretary.user
    assert general_note.period_key == f"{problem.pk}:1"
    # The next level falls due three days (the category's pace) later.
    assert problem_escalations_run(now=at(DEADLINE + days(3))) == 0
    assert problem_escalations_run(now=at(DEADLINE + days(4))) == 1
    assert list(Escalation.objects.order_by("level").values_list("level", "organisation")) == [
        (1, world.general.pk), (2, world.committee.pk)]
    # The committee is the top: nothing further, ever.
    assert problem_escalations_run(now=at(DEADLINE + days(60))) == 0
    problem.refresh_from_db()
    assert (problem.escalation_level, problem.escalate_after) == (2, None)
    assert ProblemEvent.objects.filter(problem=problem, action="escalate").count() == 2
    assert set(Notification.objects.filter(reason=PROBLEM_ESCALATED)
               .values_list("recipient__username", flat=True)) == {"general", "committee"}


def test_a_missed_escalation_run_catches_up_every_level_due(world):
    make_problem(world, deadline=DEADLINE)
    # No sweep ran for two weeks: both levels that fell due are made in one run.
    assert problem_escalations_run(now=at(DEADLINE + days(14))) == 2
    assert problem_escalations_run(now=at(DEADLINE + days(14))) == 0
    assert Escalation.objects.count() == 2


def test_a_reopened_problem_continues_from_its_level(world):
    problem = make_problem(world, deadline=DEADLINE)
    problem_escalations_run(now=at(DEADLINE + days(1)))
    later = DEADLINE + days(1)
    for action, kwargs in ((Action.START, {}), (Action.RESOLVE, {"note": "ok"}),
                           (Action.GIVE_FEEDBACK,
                            {"feedback": Feedback(method="phone", satisfied=False)})):
        problem = problem_transition(problem=problem, action=action, by=world.member.user,
                                     now=at(later), **kwargs)
    problem = problem_transition(problem=problem, action=Action.REOPEN, by=world.member.user,
                                 deadline=later + days(5), now=at(later))
    # Overdue again: level 2 (the committee) is due after the new deadline plus the pace.
    assert problem_escalations_run(now=at(later + days(6))) == 0
    assert problem_escalations_run(now=at(later + days(9))) == 1
    assert Escalation.objects.get(level=2).organisation == world.committee


def test_a_problem_of_the_committee_has_nowhere_to_go(world):
    problem = make_problem(world, organisation=world.committee, by=world.committee_secretary.user)
    assert problem_escalations_run(now=at(DEADLINE + days(30))) == 0
    problem.refresh_from_db()
    assert problem.escalate_after is None and problem.escalation_level == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_escalate_each_level_once(world):
    for i in range(5):
        make_problem(world, deadline=DEADLINE, title=f"问题{i}")
    sweep = lambda: problem_escalations_run(now=at(DEADLINE + days(14)))  # noqa: E731
    results, errors = at_once(sweep, sweep)
    assert not errors
    assert sum(results) == 10
    assert Escalation.objects.count() == 10
    assert Notification.objects.filter(reason=PROBLEM_ESCALATED).count() == 10




@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_escalates_each_level_once(world, celery_worker_thread):
    # Registered long ago with a deadline long past: both levels are due now.
    past = datetime.datetime.now(SH) - days(60)
    for i in range(3):
        make_problem(world, deadline=past.date() + days(10), now=past, title=f"旧问题{i}")
    first = escalate_overdue_problems.delay()
    second = escalate_overdue_problems.delay()
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 6]
    keys = list(Escalation.objects.values_list("problem_id", "level"))
    assert len(keys) == len(set(keys)) == 6
    assert Problem.objects.filter(escalation_level=2, escalate_after=None).count() == 3
