"""The bell's fan-out of a published notice: exactly one notification per addressee,
whether the task runs twice, at once, or on a real worker with real Redis."""

import time

import pytest
from django.core import mail

from notices import services
from notices.models import Notice
from notices.services import NoticeData
from notices.tasks import fan_out_notice
from notifications.models import Notification
from tests.concurrency import at_once
from tests.factories import UserFactory, make_member

COMMITTEE_RECIPIENTS = 7  # every login of the world but the unlinked and superuser


@pytest.fixture(autouse=True)
def fresh(settings, world):
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def published(world, **fields) -> Notice:
    notice = services.notice_create(
        organisation=world.committee,
        by=None,
        data=NoticeData("关于做好党费收缴工作的通知", "各党组织：\n请按时收缴。", **fields),
    )
    services.notice_publish(notice=notice, by=None, enqueue=False)
    return notice


def keys() -> list[tuple]:
    return list(Notification.objects.values_list("recipient_id", "reason", "period_key"))


def test_a_second_run_adds_nothing(world):
    notice = published(world)
    assert services.notice_fan_out(notice_id=notice.pk) == COMMITTEE_RECIPIENTS
    assert services.notice_fan_out(notice_id=notice.pk) == 0
    assert len(keys()) == len(set(keys())) == COMMITTEE_RECIPIENTS


def test_it_writes_in_batches(world):
    for n in range(5):
        make_member(world.branch, user=UserFactory(username=f"extra{n}"))
    notice = published(world)
    assert services.notice_fan_out(notice_id=notice.pk, batch_size=2) == COMMITTEE_RECIPIENTS + 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_make_one_notification_per_addressee(world):
    notice = published(world)
    run = lambda: services.notice_fan_out(notice_id=notice.pk)  # noqa: E731
    results, errors = at_once(run, run)
    assert not errors
    assert sorted(results) == [0, COMMITTEE_RECIPIENTS]
    assert len(keys()) == len(set(keys())) == COMMITTEE_RECIPIENTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_important_notice_is_emailed_once(world):
    for username in ("member", "secretary"):
        user = type(world.member.user).objects.get(username=username)
        user.email = f"{username}@example.invalid"
        user.save()
    notice = published(world, importance=Notice.Importance.IMPORTANT)
    fan_out_notice(notice.pk)
    fan_out_notice(notice.pk)
    assert len(mail.outbox) == 2


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_fans_out_exactly_once_even_when_queued_twice(world, celery_worker_thread):
    notice = published(world)
    first = fan_out_notice.delay(notice.pk)
    second = fan_out_notice.delay(notice.pk)
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, COMMITTEE_RECIPIENTS]
    assert len(keys()) == len(set(keys())) == COMMITTEE_RECIPIENTS
    assert set(Notification.objects.values_list("period_key", flat=True)) == {f"notice-{notice.pk}"}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_in_a_request_queues_the_fan_out_after_commit(
    world, celery_worker_thread, login
):
    notice = services.notice_create(
        organisation=world.branch, by=None, data=NoticeData("支部通知", "正文")
    )
    client = login("secretary")
    response = client.post(f"/notices/{notice.pk}/publish/", follow=True)
    assert "The notice was published" in response.content.decode()
    again = client.post(f"/notices/{notice.pk}/publish/", follow=True)  # the double click
    assert "already published" in again.content.decode()
    for _ in range(240):
        if Notification.objects.count() >= 3:
            break
        time.sleep(0.25)
    time.sleep(1)  # a second fan-out, had it been queued, would have run by now
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "member",
        "secretary",
        "group_leader",
    }
    assert Notification.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_publishes_publish_once(world):
    notice = services.notice_create(
        organisation=world.branch, by=None, data=NoticeData("支部通知", "正文")
    )
    publish = lambda: services.notice_publish(notice=notice, by=None, enqueue=False)  # noqa: E731
    results, errors = at_once(publish, publish)
    assert not errors
    assert sorted(results) == [False, True]
    assert notice.receipts.count() == 3
