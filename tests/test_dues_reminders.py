"""The yearly re-declaration reminder: in January, once per member and year, not to
members who have declared, catching up a missed day, once on a real worker."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from dues.reminders import REDECLARATION, redeclaration_reminders_send
from dues.tasks import send_redeclaration_reminders
from notifications.models import Notification
from tests.test_dues_helpers import declare

# Party members with a login in the world: member, other_member, and the five
# leaders (all full members by the factory's default).
MEMBERS_WITH_LOGIN = 7


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_reminds_every_member_once_in_january(world):
    assert redeclaration_reminders_send(today=datetime.date(2027, 1, 4)) == MEMBERS_WITH_LOGIN
    assert redeclaration_reminders_send(today=datetime.date(2027, 1, 5)) == 0  # once a year
    assert Notification.objects.filter(reason=REDECLARATION).count() == MEMBERS_WITH_LOGIN
    mine = Notification.objects.get(recipient__username="member")
    assert mine.period_key == "2027" and "2027" in mine.title and mine.url == "/dues/mine/"
    assert not Notification.objects.filter(recipient__person=world.masses).exists()
    # A new year is a new reminder.
    assert redeclaration_reminders_send(today=datetime.date(2028, 1, 2)) == MEMBERS_WITH_LOGIN


def test_it_waits_for_the_month_and_skips_those_who_declared(world):
    assert redeclaration_reminders_send(today=datetime.date(2026, 12, 28)) == 0
    with time_machine.travel(datetime.datetime(2027, 1, 3, 10, tzinfo=datetime.UTC)):
        declare(world.member, "5000.00", year=2027)
    # The run of 1 to 20 January was missed: the 21st still reminds.
    assert redeclaration_reminders_send(today=datetime.date(2027, 1, 21)) == (
        MEMBERS_WITH_LOGIN - 1
    )
    assert not Notification.objects.filter(recipient__username="member").exists()


def test_the_committee_may_move_the_reminder_month(world):
    assert redeclaration_reminders_send(today=datetime.date(2027, 1, 4), month=2) == 0
    assert redeclaration_reminders_send(today=datetime.date(2027, 2, 4), month=2) == (
        MEMBERS_WITH_LOGIN
    )


def test_the_beat_schedule_is_registered(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="dues.tasks.send_redeclaration_reminders")
    assert task.enabled and '"month": 1' in task.kwargs


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_reminds_each_member_once(world, celery_worker_thread):
    month = timezone.localdate().month  # the worker's clock is not frozen
    first = send_redeclaration_reminders.delay(month=month)
    second = send_redeclaration_reminders.delay(month=month)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, MEMBERS_WITH_LOGIN]
    keys = list(Notification.objects.values_list("recipient_id", "reason", "period_key"))
    assert len(keys) == len(set(keys)) == MEMBERS_WITH_LOGIN
