"""The outbox in the admin: it opens, it is read-only, it stays in the user's scope."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.admin_helpers import make_staff

User = get_user_model()
CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def sent(world):
    for person in (world.member, world.committee_secretary):
        notify(recipient=person.user, reason="compliance", period_key="1:2026-05-31",
               title=f"给{person.name}的提醒")
    return Notification.objects.get(recipient=world.member.user)


def test_it_opens_the_changelist_and_the_notification(login, sent):
    client = login("superuser")
    page = client.get(CHANGELIST)
    assert page.status_code == 200 and sent.title in page.content.decode()
    detail = client.get(reverse("admin:notifications_notification_change", args=[sent.pk]))
    assert detail.status_code == 200
    assert sent.title in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()


def test_it_keeps_the_outbox_read_only(login, sent):
    """Rows are written by the code that causes them, once per key: none is added,
    edited or deleted by hand (a deleted row would be sent again)."""
    client = login("superuser")
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    change = reverse("admin:notifications_notification_change", args=[sent.pk])
    assert client.post(change, {"title": "改过"}).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[sent.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    sent.refresh_from_db()
    assert sent.title == "给张党员的提醒"


def test_it_shows_a_general_branch_only_its_peoples_notifications(login, world, sent):
    make_staff("general")
    page = login("general").get(CHANGELIST).content.decode()
    assert sent.title in page
    assert f"给{world.committee_secretary.name}的提醒" not in page
