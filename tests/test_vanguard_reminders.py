"""The weekly reminder of pledges awaiting approval: once per secretary and week,
only for pledges that have waited, nothing after approval, and a real worker run
twice at once sends each reminder once."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from vanguard.models import Pledge
from vanguard.reminders import pledge_review_reminders_send
from vanguard.services import pledge_approve, pledge_save
from vanguard.tasks import send_pledge_review_reminders


def submitted(world, days_ago: int) -> Pledge:
    pledge = pledge_save(
        person=world.member, year=timezone.localdate().year, text="承诺", submit=True, by=None
    )
    Pledge.objects.filter(pk=pledge.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return pledge


def test_it_reminds_the_secretary_once_a_week(world, settings):
    settings.LANGUAGE_CODE = "en"
    submitted(world, days_ago=5)
    today = timezone.localdate()
    assert pledge_review_reminders_send(today=today) == 1
    assert pledge_review_reminders_send(today=today) == 0  # a rerun sends nothing
    note = Notification.objects.get()
    assert note.recipient.username == "secretary"
    assert "1 pledge of 采购合同党支部 awaits your approval" in note.title
    assert pledge_review_reminders_send(today=today + datetime.timedelta(days=7)) == 1


def test_a_fresh_or_approved_pledge_is_not_reminded(world):
    pledge = submitted(world, days_ago=1)
    assert pledge_review_reminders_send(today=timezone.localdate()) == 0
    Pledge.objects.filter(pk=pledge.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    pledge_approve(pledge=pledge, by=world.secretary.user)
    assert (
        pledge_review_reminders_send(today=timezone.localdate() + datetime.timedelta(days=10)) == 0
    )
    assert Notification.objects.count() == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once(world, celery_worker_thread):
    submitted(world, days_ago=5)
    first = send_pledge_review_reminders.delay(waiting_days=3)
    second = send_pledge_review_reminders.delay(waiting_days=3)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 1]
    assert Notification.objects.filter(reason="pledges_to_review").count() == 1
