"""Redis down: publishing a notice still works, and its bell notifications go out
exactly once when the broker is back (the delivery sweep picks up what was not queued).

The broker is made unreachable for real: Celery is pointed at a closed port, so
queueing meets a refused connection, not a stub.
"""

import pytest
from django_celery_beat.models import PeriodicTask

from notices import services
from notices.models import Notice
from notices.services import NoticeData
from notifications.models import Notification


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_notice_published_with_redis_down_is_delivered_once_when_it_is_back(
    world, login, broker_down, django_capture_on_commit_callbacks
):
    notice = services.notice_create(
        organisation=world.branch, by=None, data=NoticeData("支部通知", "请按时参加主题党日。")
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = login("secretary").post(f"/notices/{notice.pk}/publish/", follow=True)
    assert response.status_code == 200
    assert "The notice was published" in response.content.decode()
    assert len(queued) == 1  # the fan-out was tried, and the broker refused it
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED and notice.delivered_at is None
    assert not Notification.objects.exists()

    # The broker is back (the fixture's URL is restored by the beat's own process in
    # production); the sweep the beat runs every five minutes delivers, exactly once.
    addressees = notice.receipts.filter(person__user__isnull=False).count()
    assert services.notices_deliver_pending() == addressees > 0
    assert services.notices_deliver_pending() == 0
    assert Notification.objects.filter(period_key=f"notice-{notice.pk}").count() == addressees
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_the_beat_runs_the_delivery_sweep(db):
    sweep = PeriodicTask.objects.get(task="notices.tasks.deliver_pending_notices")
    assert sweep.enabled and sweep.interval.every == 5
