"""The weekly reminder to enter the supply statuses: from Thursday on, once a week per
team member while a project is missing; a missed day catches up; a real worker; and two
confirmations of one sheet at the same moment import it once."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from serviceteam.models import ImportBatch, KeyProject, WeeklyStatus, week_start
from serviceteam.reminders import REASON, status_reminders_send
from serviceteam.services import import_confirm, import_upload, weekly_status_record
from serviceteam.tasks import send_weekly_status_reminders
from tests.concurrency import at_once
from tests.test_serviceteam_import import GOOD_ROWS, english, projects, team, values, xlsx

__all__ = ["english", "projects", "team"]

# Two weeks ago, so the week after is in the past too (statuses cannot be entered ahead).
MONDAY = week_start(timezone.localdate()) - datetime.timedelta(weeks=2)
THURSDAY = MONDAY + datetime.timedelta(days=3)


def test_it_reminds_the_team_from_thursday_once_a_week(team, projects, world):
    assert status_reminders_send(today=MONDAY) == 0
    assert status_reminders_send(today=THURSDAY) == 1  # 张党员, the only member
    assert status_reminders_send(today=THURSDAY + datetime.timedelta(days=1)) == 0
    note = Notification.objects.get(reason=REASON)
    assert note.recipient.username == "member" and note.period_key == MONDAY.isoformat()
    assert "show=missing" in note.url


def test_a_missed_day_catches_up_and_a_complete_week_is_quiet(team, projects, world):
    assert status_reminders_send(today=MONDAY + datetime.timedelta(days=6)) == 1  # Sunday
    next_monday = MONDAY + datetime.timedelta(days=7)
    for project in projects:
        weekly_status_record(project=project, week=next_monday, values=values(), by=None)
    assert status_reminders_send(today=next_monday + datetime.timedelta(days=3)) == 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_reminds_once(team, projects, world, celery_worker_thread):
    first = send_weekly_status_reminders.delay(weekday=0)
    second = send_weekly_status_reminders.delay(weekday=0)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 1]
    assert Notification.objects.filter(reason=REASON).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_import_the_sheet_once(team, projects, world):
    user = world.member.user
    week = week_start(timezone.localdate())
    batch = import_upload(content=xlsx(GOOD_ROWS), filename="a.xlsx", week=week, reason="", by=user)
    other = import_upload(content=xlsx(GOOD_ROWS), filename="b.xlsx", week=week, reason="", by=user)
    results, errors = at_once(
        lambda: import_confirm(batch=batch, by=user),
        lambda: import_confirm(batch=batch, by=user),
        lambda: import_confirm(batch=other, by=user),
    )
    assert len(results) == 2 and len(errors) == 1
    assert "already imported" in str(errors[0])
    assert WeeklyStatus.objects.count() == 3 == WeeklyStatus.history.count()
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"imported"}
    assert KeyProject.objects.count() == 3
