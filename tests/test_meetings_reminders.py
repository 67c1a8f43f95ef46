"""Reminders that never double-send: keyed by recipient, reason and period, sent
from a threshold day on (so a missed run catches up), safe under concurrency and
on a real worker with acks_late on real Redis."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from meetings.models import Meeting, MeetingKind
from meetings.reminders import (
    COMPLIANCE,
    MONTHLY_STUDY,
    compliance_reminders_send,
    monthly_study_reminders_send,
)
from meetings.tasks import send_monthly_study_reminders
from notifications.models import Notification
from notifications.services import emails_send_pending
from tests.concurrency import at_once

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
STUDY_RECIPIENTS = 7  # committee: 4 (its secretary + 3 secretaries below); general: 3


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()


def test_it_reminds_the_study_members_once_a_month(world):
    today = datetime.date(2026, 5, 3)
    assert monthly_study_reminders_send(today=today, day=1) == STUDY_RECIPIENTS
    assert monthly_study_reminders_send(today=today, day=1) == 0  # rerun does nothing
    assert Notification.objects.filter(reason=MONTHLY_STUDY).count() == STUDY_RECIPIENTS
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"committee", "general", "secretary", "other_secretary"}
    assert "member" not in recipients
    # Next month is a new period.
    assert monthly_study_reminders_send(today=datetime.date(2026, 6, 1), day=1) == 7


def test_it_waits_for_the_configured_day_and_catches_up_after_a_missed_run(world):
    assert monthly_study_reminders_send(today=datetime.date(2026, 5, 9), day=10) == 0
    # The run of the 10th was missed; the 12th still sends this month's reminders.
    assert monthly_study_reminders_send(today=datetime.date(2026, 5, 12), day=10) == 7


def test_it_does_not_remind_an_organisation_that_held_its_study(world):
    at = datetime.datetime(2026, 5, 2, 9, tzinfo=SH)
    Meeting.objects.create(organisation=world.general, kind=MeetingKind.CENTRAL_STUDY,
                           topic="t", held_at=at, status="submitted", submitted_at=at)
    assert monthly_study_reminders_send(today=datetime.date(2026, 5, 3), day=1) == 4


def test_it_reminds_secretaries_before_a_period_ends(world):
    assert compliance_reminders_send(today=datetime.date(2026, 5, 20), days_before=7) == 0
    created = compliance_reminders_send(today=datetime.date(2026, 5, 25), days_before=7)
    assert created > 0
    assert compliance_reminders_send(today=datetime.date(2026, 5, 26), days_before=7) == 0
    mine = Notification.objects.get(recipient__username="secretary", reason=COMPLIANCE)
    assert world.branch.name in mine.title and "2026" in mine.title
    assert mine.period_key == f"{world.branch.pk}:2026-05-31"
    assert Notification.objects.filter(recipient__username="group_leader").count() == 1
    assert not Notification.objects.filter(recipient__username="member").exists()


def test_it_catches_up_a_missed_compliance_run(world):
    # Nothing ran from 24 to 29 June; the run of the 30th still reminds.
    assert compliance_reminders_send(today=datetime.date(2026, 6, 30), days_before=7) > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_emails_each_notification_at_most_once(world):
    """E-mail is sent outside any transaction (the service refuses otherwise)."""
    for username in ("secretary", "general"):
        user = type(world.secretary.user).objects.get(username=username)
        user.email = f"{username}@example.invalid"
        user.save()
    monthly_study_reminders_send(today=datetime.date(2026, 5, 3), day=1)
    assert emails_send_pending() == 4  # secretary and general, in two organisations each
    assert emails_send_pending() == 0
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_make_one_notification_per_key(world):
    sweep = lambda: monthly_study_reminders_send(today=datetime.date(2026, 5, 3))  # noqa: E731
    results, errors = at_once(sweep, sweep)
    assert not errors
    assert sum(results) == STUDY_RECIPIENTS
    assert Notification.objects.count() == STUDY_RECIPIENTS




@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once(world, celery_worker_thread):
    first = send_monthly_study_reminders.delay(day=1)
    second = send_monthly_study_reminders.delay(day=1)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, STUDY_RECIPIENTS]
    keys = list(Notification.objects.values_list("recipient_id", "reason", "period_key"))
    assert len(keys) == len(set(keys)) == STUDY_RECIPIENTS


def test_it_writes_reminders_in_the_portals_language_whatever_is_active(world, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("en"):  # e.g. a shell or a request left English active
        compliance_reminders_send(today=datetime.date(2026, 5, 25), days_before=7)
    title = Notification.objects.get(recipient__username="secretary").title
    assert "2026年5月31日" in title  # Django's own zh-hans date format
