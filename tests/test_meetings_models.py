"""The party-life data: rules seeded from the regulations, schedules as data, and
the invariants the database itself guards."""

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django_celery_beat.models import PeriodicTask

from meetings.models import Attendance, ComplianceRule, Meeting, MeetingKind, QuorumRule

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_it_seeds_the_regulations_frequencies():
    rules = {(r.meeting_kind, r.organisation_kind): r
             for r in ComplianceRule.objects.filter(given_by="anyone")}
    assert rules[(MeetingKind.GENERAL_MEETING, "branch")].period == "quarter"
    assert rules[(MeetingKind.COMMITTEE_MEETING, "branch")].period == "month"
    assert rules[(MeetingKind.GROUP_MEETING, "group")].period == "month"
    assert rules[(MeetingKind.PARTY_LESSON, "branch")].period == "quarter"
    assert rules[(MeetingKind.THEME_DAY, "branch")].period == "month"
    assert rules[(MeetingKind.ORG_LIFE, "branch")].period == "year"
    assert rules[(MeetingKind.CENTRAL_STUDY, "general_branch")].period == "month"
    assert rules[(MeetingKind.CENTRAL_STUDY, "committee")].period == "month"
    assert all(r.source and r.minimum_count == 1 for r in rules.values())
    # Only a branch with a branch committee (7 full members) holds committee meetings.
    assert rules[(MeetingKind.COMMITTEE_MEETING, "branch")].applies_when == "has_committee"
    assert {r.applies_when for k, r in rules.items()
            if k != (MeetingKind.COMMITTEE_MEETING, "branch")} == {"always"}
    # The branch secretary gives at least one party lesson a year: a rule of its own.
    lesson = ComplianceRule.objects.get(given_by="secretary")
    assert (lesson.meeting_kind, lesson.organisation_kind, lesson.period,
            lesson.minimum_count) == (MeetingKind.PARTY_LESSON, "branch", "year", 1)
    assert "支部工作条例" in lesson.source


@pytest.mark.django_db
def test_it_counts_by_lecturer_only_for_party_lessons():
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplianceRule.objects.create(meeting_kind=MeetingKind.THEME_DAY,
                                      organisation_kind="branch", period="year",
                                      given_by="secretary", source="x")


@pytest.mark.django_db
def test_it_registers_the_reminders_as_periodic_tasks():
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "meetings.tasks.send_monthly_study_reminders",
        "meetings.tasks.send_compliance_reminders",
        "notifications.tasks.send_pending_emails",
    } <= tasks


def test_it_refuses_two_attendance_rows_for_one_person(world):
    meeting = Meeting.objects.create(
        organisation=world.branch, kind=MeetingKind.THEME_DAY, topic="t",
        held_at=datetime.datetime(2026, 1, 5, 9, tzinfo=SH),
    )
    Attendance.objects.create(meeting=meeting, person=world.member, status="present")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, person=world.member, status="absent")


def test_it_refuses_leave_without_reason(world):
    meeting = Meeting.objects.create(
        organisation=world.branch, kind=MeetingKind.THEME_DAY, topic="t",
        held_at=datetime.datetime(2026, 1, 5, 9, tzinfo=SH),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, person=world.member, status="leave")


@pytest.mark.django_db
def test_it_seeds_the_quorums():
    quorums = {q.meeting_kind: q for q in QuorumRule.objects.all()}
    general = quorums[MeetingKind.GENERAL_MEETING]
    assert (general.voters, general.more_than_percent) == ("full_members", 50)
    committee = quorums[MeetingKind.COMMITTEE_MEETING]
    assert (committee.voters, committee.more_than_percent) == ("expected", 50)
    assert all("支部工作条例" in q.source for q in quorums.values())
    # "More than half": 8 voters need 5, 7 voters need 4, 1 needs 1, none needs 1.
    assert [general.needed(n) for n in (8, 7, 1, 0)] == [5, 4, 1, 1]
