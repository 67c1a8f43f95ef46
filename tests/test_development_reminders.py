"""The daily development reminders: each due step reaches the branch secretary once
(keyed by record, step and due date), from the rule's lead time on, catching up a
missed run; a step taken on the page reminds of the next one at once; and a real
worker on Redis never sends twice."""

import datetime

import pytest
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from development.models import Candidacy, DevelopmentRule, Stage
from development.reminders import REASON, due_reminders_send
from development.services import development_advance
from development.tasks import send_development_reminders
from members.models import Person
from notifications.models import Notification
from tests.factories import make_member

D = datetime.date


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def record(world, **fields) -> Candidacy:
    person = make_member(
        world.branch,
        status=fields.pop("status", Person.Status.APPLICANT),
        birth_date=D(1995, 1, 1),
        name=fields.pop("name", "申请人"),
    )
    return Candidacy.objects.create(person=person, branch=world.branch, **fields)


def reminders():
    return list(
        Notification.objects.filter(reason=REASON)
        .values_list("recipient__username", "period_key")
        .order_by("period_key")
    )


def test_a_pending_talk_reminds_the_secretary_once(world):
    c = record(world, applied_on=D(2026, 5, 1))
    assert due_reminders_send(today=D(2026, 5, 2)) == 1
    assert due_reminders_send(today=D(2026, 5, 2)) == 0  # rerun does nothing
    assert due_reminders_send(today=D(2026, 6, 5)) == 0  # overdue: still the same step
    assert reminders() == [("secretary", f"{c.pk}:talk:2026-06-01")]
    title = Notification.objects.get().title
    assert "Talk with the applicant" in title and "申请人" in title


def test_the_end_of_the_probation_is_reminded_from_30_days_before(world):
    c = record(
        world,
        status=Person.Status.PROBATIONARY,
        stage=Stage.PROBATIONARY,
        applied_on=D(2023, 1, 1),
        admitted_on=D(2025, 7, 1),
        approved_on=D(2025, 8, 1),
        probation_ends_on=D(2026, 7, 1),
    )
    assert due_reminders_send(today=D(2026, 5, 31)) == 0
    assert due_reminders_send(today=D(2026, 6, 1)) == 1
    # A missed month catches up (and only once).
    assert due_reminders_send(today=D(2026, 7, 20)) == 0
    assert reminders() == [("secretary", f"{c.pk}:conclude:2026-07-01")]


def test_the_lead_time_is_a_rule(world):
    DevelopmentRule.objects.filter(code="reminder_lead").update(value=60)
    record(
        world,
        status=Person.Status.PROBATIONARY,
        stage=Stage.PROBATIONARY,
        applied_on=D(2023, 1, 1),
        admitted_on=D(2025, 7, 1),
        approved_on=D(2025, 8, 1),
        probation_ends_on=D(2026, 7, 1),
    )
    assert due_reminders_send(today=D(2026, 5, 2)) == 1


def test_a_half_yearly_assessment_falls_due(world):
    c = record(
        world,
        status=Person.Status.ACTIVIST,
        stage=Stage.ACTIVIST,
        applied_on=D(2025, 1, 1),
        talked_on=D(2025, 1, 10),
        activist_on=D(2025, 3, 1),
    )
    assert due_reminders_send(today=D(2025, 8, 1)) == 0
    assert due_reminders_send(today=D(2025, 8, 2)) == 1  # 30 days before 1 September
    assert reminders() == [("secretary", f"{c.pk}:assess:2025-09-01")]


def test_an_approval_is_reminded_as_soon_as_the_branch_admits(world):
    c = record(
        world,
        status=Person.Status.CANDIDATE,
        stage=Stage.CANDIDATE,
        applied_on=D(2024, 1, 1),
        talked_on=D(2024, 1, 10),
        activist_on=D(2024, 2, 1),
        candidate_on=D(2025, 2, 1),
        reviewed_on=D(2025, 2, 5),
        training_from=D(2025, 2, 6),
        training_to=D(2025, 2, 8),
        training_days=3,
        training_hours=24,
    )
    development_advance(
        candidacy=c,
        step="introducers",
        people=[world.member, world.secretary],
        on=D(2025, 2, 10),
        today=D(2025, 3, 1),
    )
    development_advance(candidacy=c, step="admit", on=D(2025, 3, 1), today=D(2025, 3, 1))
    assert reminders() == [("secretary", f"{c.pk}:approve:2025-06-01")]
    assert due_reminders_send(today=D(2025, 6, 2)) == 0  # overdue, already reminded


def test_other_branches_secretaries_and_members_hear_nothing(world):
    record(world, applied_on=D(2026, 5, 1))
    due_reminders_send(today=D(2026, 5, 2))
    assert {r[0] for r in reminders()} == {"secretary"}


def test_reminders_are_written_in_the_portals_language(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    record(world, applied_on=D(2026, 5, 1))
    with translation.override("en"):
        due_reminders_send(today=D(2026, 5, 2))
    assert "2026年6月1日" in Notification.objects.get().title


def test_the_daily_schedule_is_registered(db):
    task = PeriodicTask.objects.get(task="development.tasks.send_development_reminders")
    assert task.enabled and task.crontab.hour == "8"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once(world, celery_worker_thread):
    for n in range(3):
        record(
            world, applied_on=timezone.localdate() - datetime.timedelta(days=n), name=f"申请人{n}"
        )
    first = send_development_reminders.delay()
    second = send_development_reminders.delay()
    assert sorted([first.get(timeout=60), second.get(timeout=60)]) == [0, 3]
    keys = reminders()
    assert len(keys) == len(set(keys)) == 3
