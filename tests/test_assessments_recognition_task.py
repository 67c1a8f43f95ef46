"""The monthly red flag task: last month's flag to the best branch by the admin's
rule, once a month (a rerun does nothing), a missed run catching up last month only."""

import datetime
import zoneinfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from assessments import services
from assessments.models import RedFlag, RedFlagWeight
from assessments.tasks import award_monthly_red_flag
from meetings import services as meetings
from meetings.models import MeetingKind

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SH), tick=False)


def _meeting(organisation, by, statuses, day=datetime.datetime(2026, 3, 10, 15, tzinfo=SH)):
    meeting = meetings.meeting_create(
        organisation=organisation, kind=MeetingKind.THEME_DAY,
        data=meetings.MeetingData(held_at=day, topic="主题党日"),
        by=by, attendance=[meetings.AttendanceEntry(p.pk, s) for p, s in statuses.items()])
    meetings.meeting_submit(meeting=meeting, by=by)


@pytest.fixture
def ranked(world):
    """By attendance, the other branch beats the branch in March."""
    RedFlagWeight.objects.create(indicator="attendance_rate", weight=100)
    with at(2026, 3, 20, 9):
        _meeting(world.branch, world.secretary.user, {
            world.member: "present", world.secretary: "absent", world.group_leader: "absent"})
        _meeting(world.other_branch, world.other_secretary.user, {
            world.other_member: "present", world.other_secretary: "present"})
    return world


def test_it_is_scheduled_monthly_by_the_migration(db):
    task = PeriodicTask.objects.get(task="assessments.tasks.award_monthly_red_flag")
    assert (task.crontab.day_of_month, task.crontab.hour, task.crontab.minute) == ("1", "8", "0")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_it_awards_last_month_to_the_best_branch_by_the_rule(ranked):
    with at(2026, 4, 1, 8):
        pk = award_monthly_red_flag()
    flag = RedFlag.objects.get(pk=pk)
    assert (flag.month, flag.branch, flag.score) == (MARCH, ranked.other_branch, 100)
    assert flag.awarded_by is None
    assert ranked.branch.name in flag.evidence


def test_a_rerun_does_nothing(ranked):
    with at(2026, 4, 1, 8):
        first = award_monthly_red_flag()
    with at(2026, 4, 1, 8, 5):
        assert award_monthly_red_flag() is None
    assert list(RedFlag.objects.values_list("pk", "month")) == [(first, MARCH)]


def test_a_missed_run_catches_up_last_month_only_if_not_yet_awarded(ranked):
    # The run of 1 April was missed: beat fires it on the 3rd.
    with at(2026, 4, 3, 10):
        assert award_monthly_red_flag() is not None
    assert RedFlag.objects.get().month == MARCH
    # The committee awarded April by hand; the run of 1 May leaves it alone.
    services.red_flag_award(month=APRIL)
    with at(2026, 5, 1, 8):
        assert award_monthly_red_flag() is None
    assert sorted(RedFlag.objects.values_list("month", flat=True)) == [MARCH, APRIL]


def test_a_late_run_catches_up_only_the_previous_month(ranked):
    with at(2026, 5, 2, 9):
        award_monthly_red_flag()
    assert list(RedFlag.objects.values_list("month", flat=True)) == [APRIL]


def test_without_a_rule_it_awards_nothing_and_does_not_fail(world):
    with at(2026, 4, 1, 8):
        assert award_monthly_red_flag() is None
    assert not RedFlag.objects.exists()
