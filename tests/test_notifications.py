"""Notifications: one per key, marked read by the user only, e-mail claimed once."""

from unittest import mock

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import emails_send_pending, notification_mark_read, notify


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_creates_a_notification_once_per_key(world):
    user = world.secretary.user
    assert notify(recipient=user, reason="r", period_key="2026-05", title="a") is True
    assert notify(recipient=user, reason="r", period_key="2026-05", title="b") is False
    assert notify(recipient=user, reason="r", period_key="2026-06", title="c") is True
    assert Notification.objects.count() == 2


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
    with mock.patch("notifications.services.send_mail", side_effect=OSError("smtp down")):
        assert emails_send_pending() == 0
    assert Notification.objects.get().emailed_at is None
    assert emails_send_pending() == 1
    assert emails_send_pending() == 0
    assert len(mail.outbox) == 1
