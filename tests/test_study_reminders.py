"""Study reminders: the monthly central-group study reminder links to what is still
unread; due-date reminders go once to those who have not read, catch up after a missed
run, and run on a real worker."""

import datetime

import pytest
from django.core import mail

from meetings.reminders import MONTHLY_STUDY, monthly_study_reminders_send
from notifications.models import Notification
from notifications.services import notification_email
from study.reminders import STUDY_DUE, study_due_reminders_send
from study.services import material_mark_read
from study.tasks import send_study_due_reminders
from tests.test_study_helpers import make_material


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def test_the_monthly_study_reminder_links_to_what_is_still_unread(world, login, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    material = make_material(world.committee, title="本月中心组专题")
    monthly_study_reminders_send(today=datetime.date(2026, 5, 3), day=1)
    reminder = Notification.objects.filter(
        reason=MONTHLY_STUDY, recipient__username="secretary"
    ).first()
    assert "https://portal.example.cn/study/unread/" in reminder.body
    message = notification_email(reminder)
    assert "https://portal.example.cn/study/unread/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://portal.example.cn/study/unread/"' in html
    # The link shows that recipient what they have not read yet.
    client = login("secretary")
    assert "本月中心组专题" in client.get("/study/unread/").content.decode()
    material_mark_read(person=world.secretary, material=material)
    assert "本月中心组专题" not in client.get("/study/unread/").content.decode()


def test_it_reminds_those_who_have_not_read_once(world):
    material = make_material(world.general, title="总支学习资料", due_on=datetime.date(2026, 5, 20))
    material_mark_read(person=world.other_member, material=material)
    assert study_due_reminders_send(today=datetime.date(2026, 5, 16), days_before=3) == 0
    created = study_due_reminders_send(today=datetime.date(2026, 5, 17), days_before=3)
    recipients = set(
        Notification.objects.filter(reason=STUDY_DUE).values_list("recipient__username", flat=True)
    )
    assert created == len(recipients)
    assert "member" in recipients and "secretary" in recipients
    assert "other_member" not in recipients  # has read it
    assert "committee" not in recipients  # not under the general branch
    assert study_due_reminders_send(today=datetime.date(2026, 5, 18), days_before=3) == 0
    # Past the due date nothing more is sent.
    assert study_due_reminders_send(today=datetime.date(2026, 5, 21), days_before=3) == 0


def test_a_missed_run_catches_up_before_the_due_date(world):
    make_material(world.branch, title="支部资料", due_on=datetime.date(2026, 5, 20))
    # Nothing ran on the 17th to the 19th; the 20th still reminds.
    assert study_due_reminders_send(today=datetime.date(2026, 5, 20), days_before=3) > 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_due_reminder_once(world, celery_worker_thread):
    from django.utils import timezone

    today = timezone.localdate()
    world.member.user.email = "member@example.invalid"
    world.member.user.save()
    make_material(world.branch, title="支部资料", published_on=today, due_on=today)
    first = send_study_due_reminders.delay(days_before=3)
    second = send_study_due_reminders.delay(days_before=3)
    results = sorted([first.get(timeout=30), second.get(timeout=30)])
    assert results[0] == 0 and results[1] > 0
    keys = list(Notification.objects.values_list("recipient_id", "reason", "period_key"))
    assert len(keys) == len(set(keys)) == results[1]
    assert len([m for m in mail.outbox if "member@example.invalid" in m.to]) == 1


@pytest.mark.django_db
def test_the_due_reminder_is_a_periodic_task_the_committee_edits():
    import json

    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="study.tasks.send_study_due_reminders")
    assert json.loads(task.kwargs) == {"days_before": 3}
    assert task.crontab.timezone.key == "Asia/Shanghai"
