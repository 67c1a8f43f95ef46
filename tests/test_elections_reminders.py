"""Term-end reminders: the secretary and the higher organisation's secretary, 6 months and
1 month before the end and when overdue, each exactly once (reruns, concurrent runs, a
real worker on Redis), catching up a missed run."""

import datetime
import zoneinfo

import pytest
import time_machine

from elections.models import Term, TermRule
from elections.reminders import TERM_END, term_reminders_send
from elections.services import term_open
from elections.tasks import send_term_reminders
from notifications.models import Notification
from tests.concurrency import at_once

D = datetime.date
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def term(world):
    """The branch's term ends on 2026-12-01."""
    world.branch.refresh_from_db()
    return term_open(organisation=world.branch, started_on=D(2023, 12, 1))


def keys():
    return sorted(
        Notification.objects.filter(reason=TERM_END).values_list(
            "recipient__username", "period_key"
        )
    )


def test_nothing_before_six_months(term):
    assert term_reminders_send(today=D(2026, 5, 31)) == 0


def test_six_months_before_the_secretary_and_the_higher_secretary_are_told(term):
    assert term_reminders_send(today=D(2026, 6, 1)) == 2
    assert keys() == [("general", f"{term.pk}:first"), ("secretary", f"{term.pk}:first")]
    assert term_reminders_send(today=D(2026, 6, 2)) == 0  # rerun the next day: nothing
    note = Notification.objects.get(recipient__username="secretary")
    assert "ends on" in note.title and "采购合同党支部" in note.title


def test_one_month_before_and_overdue_are_new_reminders(term):
    term_reminders_send(today=D(2026, 6, 1))
    assert term_reminders_send(today=D(2026, 11, 1)) == 2
    assert term_reminders_send(today=D(2026, 11, 20)) == 0
    assert term_reminders_send(today=D(2026, 12, 2)) == 2
    assert term_reminders_send(today=D(2026, 12, 30)) == 0
    windows = sorted(k.split(":")[1] for _u, k in keys())
    assert windows == ["first", "first", "overdue", "overdue", "second", "second"]


def test_a_missed_run_catches_up_with_the_narrowest_window(term):
    # Nothing ran between June and mid-November: one reminder, the one-month one.
    assert term_reminders_send(today=D(2026, 11, 15)) == 2
    assert {k.split(":")[1] for _u, k in keys()} == {"second"}


def test_the_windows_come_from_the_rule(term):
    TermRule.objects.filter(organisation_kind="branch").update(first_reminder_months=3)
    assert term_reminders_send(today=D(2026, 6, 1)) == 0
    assert term_reminders_send(today=D(2026, 9, 1)) == 2


def test_a_closed_term_is_not_reminded(term):
    Term.objects.filter(pk=term.pk).update(closed_on=D(2026, 5, 1))
    assert term_reminders_send(today=D(2026, 12, 5)) == 0


def test_the_committee_term_reminds_its_own_secretary_only(world):
    world.committee.refresh_from_db()
    term_open(organisation=world.committee, started_on=D(2021, 12, 1))  # 5 years
    assert term_reminders_send(today=D(2026, 6, 1)) == 1
    assert [u for u, _k in keys()] == ["committee"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_make_one_notification_per_key(term):
    sweep = lambda: term_reminders_send(today=D(2026, 6, 1))  # noqa: E731
    results, errors = at_once(sweep, sweep, sweep)
    assert not errors
    assert sum(results) == 2
    assert Notification.objects.filter(reason=TERM_END).count() == 2


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once(term, celery_worker_thread):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 9, 0, tzinfo=SH), tick=True):
        first = send_term_reminders.delay()
        second = send_term_reminders.delay()
        results = sorted([first.get(timeout=30), second.get(timeout=30)])
        again = send_term_reminders.delay().get(timeout=30)
    assert results == [0, 2] and again == 0
    assert keys() == [("general", f"{term.pk}:first"), ("secretary", f"{term.pk}:first")]
