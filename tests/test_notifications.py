"""Notifications: one per key, marked read by the user only, e-mail claimed once."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from notifications.models import Notification
from notifications.services import (
    emails_send_pending,
    notification_mark_read,
    notify,
    notify_many,
)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_creates_a_notification_once_per_key(world):
    user = world.secretary.user
    assert notify(recipient=user, reason="r", period_key="2026-05", title="a") is True
    assert notify(recipient=user, reason="r", period_key="2026-05", title="b") is False
    assert notify(recipient=user, reason="r", period_key="2026-06", title="c") is True
    assert Notification.objects.count() == 2


def test_a_fan_out_creates_each_key_once_however_often_it_runs(world):
    secretary, member = world.secretary.user, world.member.user
    notify(recipient=secretary, reason="r", period_key="1", title="already there")

    def batch():
        return [
            Notification(recipient=secretary, reason="r", period_key="1", title="a"),
            Notification(recipient=member, reason="r", period_key="1", title="b"),
            Notification(recipient=member, reason="r", period_key="1", title="twice"),
            Notification(recipient=member, reason="r", period_key="2", title="c"),
        ]

    assert notify_many(batch()) == 2
    assert notify_many(batch()) == 0
    assert sorted(Notification.objects.values_list("title", flat=True)) == [
        "already there",
        "b",
        "c",
    ]


def test_it_marks_only_the_users_own_notifications_read(world):
    notify(recipient=world.secretary.user, reason="r", period_key="1", title="a")
    other = Notification.objects.create(recipient=world.member.user, reason="r",
                                        period_key="1", title="b")
    assert notification_mark_read(user=world.secretary.user, pks=[other.pk]) == 0
    assert notification_mark_read(user=world.secretary.user) == 1


def test_it_follows_only_local_links(login, world):
    mine = Notification.objects.create(recipient=world.secretary.user, reason="r",
                                       period_key="1", title="a", url="https://evil.example/")
    response = login("secretary").post(f"/notifications/{mine.pk}/open/")
    assert response.url == "/notifications/"
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_releases_the_claim_when_sending_fails(world):
    user = world.secretary.user
    user.email = "s@example.invalid"
    user.save()
    notify(recipient=user, reason="r", period_key="1", title="a")
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=OSError("smtp down")):
        assert emails_send_pending() == 0
    assert Notification.objects.get().emailed_at is None
    assert emails_send_pending() == 1
    assert emails_send_pending() == 0
    assert len(mail.outbox) == 1


def emailed(world, reason, **fields):
    user = world.secretary.user
    user.email = "secretary@example.invalid"
    user.save()
    notify(recipient=user, reason=reason, period_key="2026-05", **fields)
    assert emails_send_pending() == 1
    (message,) = mail.outbox
    html = {mime: content for content, mime in message.alternatives}["text/html"]
    return message, html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_emails_a_monthly_study_reminder_from_its_templates(world, settings):
    settings.PORTAL_BASE_URL = "https://party.example.invalid/"
    message, html = emailed(
        world, "monthly_study", title="Monthly central-group study of 物资公司党委, 2026-05",
        body="Bring the problems <to coordinate>.\nSecond line.", url="/meetings/mine/",
    )
    assert message.subject == "Reminder: Monthly central-group study of 物资公司党委, 2026-05"
    assert message.to == ["secretary@example.invalid"]
    assert message.body.startswith(f"Dear {world.secretary.name},")
    assert "second-level central-group study" in message.body
    assert "Bring the problems <to coordinate>.\nSecond line." in message.body
    assert "https://party.example.invalid/meetings/mine/" in message.body
    assert "Each month's reminder is sent once." in message.body
    assert 'href="https://party.example.invalid/meetings/mine/"' in html
    assert "Bring the problems &lt;to coordinate&gt;.<br>Second line." in html
    assert "<to coordinate>" not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_emails_a_compliance_reminder_from_its_templates(world):
    message, html = emailed(world, "compliance", title="采购合同党支部: meetings due by 31 May",
                            body="Still to hold:\n- Theme party day: 0 of 1 held",
                            url="/meetings/org/1/")
    assert message.subject == "Meetings due: 采购合同党支部: meetings due by 31 May"
    assert "- Theme party day: 0 of 1 held" in message.body
    assert "you lead this organisation" in message.body
    assert "Theme party day: 0 of 1 held" in html and "Open the meetings" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_falls_back_to_the_default_templates(world):
    message, html = emailed(world, "../../secret", title="Line one\nline two")
    assert message.subject == "Line one line two"  # a header is one line
    assert "Line one" in message.body and "Open in the portal" not in message.body
    assert "because the party-building portal sent you a notification" in html

