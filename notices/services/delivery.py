"""Delivering a published notice: one bell notification per addressee with a login,
and the receipt when they open it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from members.models import Person
from notifications.models import Notification
from notifications.services import notification_email_send

from ..models import NOTIFICATION_REASON, Notice, NoticeReceipt, notification_key

FAN_OUT_BATCH = 500


def _notification_texts(notice: Notice) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        if notice.is_important:
            title = _("Important notice from %(org)s: %(title)s")
        else:
            title = _("Notice from %(org)s: %(title)s")
        title = title % {"org": notice.organisation.name, "title": notice.title}
    return Truncator(title).chars(200), Truncator(notice.body).chars(300)


@transaction.atomic
def notice_fan_out(*, notice_id: int, batch_size: int = FAN_OUT_BATCH) -> int:
    """Write one notification (reason "notice", key f"notice-{pk}") for each addressee
    with an active login; returns how many were new.

    Exactly once by construction: rows are inserted with ON CONFLICT DO NOTHING on the
    notifications' unique (recipient, reason, period_key), so a retried, duplicated or
    concurrent run adds nothing; and the notice's row stays locked while they are
    written, so a withdrawal waits, and a run after a withdrawal writes nothing.
    """
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=notice_id, status=Notice.Status.PUBLISHED)
        .first()
    )
    if notice is None:
        return 0
    key = notification_key(notice.pk)
    existing = Notification.objects.filter(reason=NOTIFICATION_REASON, period_key=key)
    before = existing.count()
    title, body = _notification_texts(notice)
    url = reverse("notices:detail", args=[notice.pk])
    recipients = (
        NoticeReceipt.objects.filter(
            notice=notice, person__user__isnull=False, person__user__is_active=True
        )
        .order_by("pk")
        .values_list("person__user_id", "read_at")
    )
    batch: list[Notification] = []
    for user_id, read_at in recipients.iterator(chunk_size=batch_size):
        batch.append(
            Notification(
                recipient_id=user_id,
                reason=NOTIFICATION_REASON,
                period_key=key,
                title=title,
                body=body,
                url=url,
                send_email=notice.is_important,
                read_at=read_at,
            )
        )
        if len(batch) >= batch_size:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
    Notice.objects.filter(pk=notice.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    return existing.count() - before


def notices_deliver_pending() -> int:
    """Fan out every published notice whose fan-out has not run (its task could not be
    queued, or was lost); the beat runs this every few minutes. Returns the number of
    notifications created; a second run creates none."""
    pending = Notice.objects.filter(status=Notice.Status.PUBLISHED, delivered_at__isnull=True)
    created = 0
    for notice_id in pending.values_list("pk", flat=True):
        created += notice_fan_out(notice_id=notice_id)
        transaction.on_commit(lambda pk=notice_id: notice_emails_send(notice_id=pk))
    return created


def notice_emails_send(*, notice_id: int) -> int:
    """E-mail the notice's notifications not e-mailed yet (each at most once: the
    notifications service claims the row before sending). Only important notices'
    notifications ask for an e-mail. Call it after commit."""
    ids = list(
        Notification.objects.email_pending()
        .filter(reason=NOTIFICATION_REASON, period_key=notification_key(notice_id))
        .values_list("pk", flat=True)
    )
    return sum(notification_email_send(notification_id=pk) for pk in ids)


@transaction.atomic
def receipt_record(
    *,
    notice: Notice,
    person: Person,
    user: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> NoticeReceipt:
    """The person has opened the notice: keep the first time they did, and clear its
    notification from their bell. Idempotent (a second visit changes nothing).

    For someone not addressed when it was published (who has transferred in since),
    the row is created now. The caller checks that the notice reaches the person.
    """
    now = now or timezone.now()
    receipt, created = NoticeReceipt.objects.get_or_create(
        notice=notice, person=person, defaults={"read_at": now, "branch_id": person.branch_id}
    )
    if not created and receipt.read_at is None:
        # Conditional: of two tabs opening it at once, the first time is kept.
        NoticeReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=now)
        receipt.refresh_from_db()
    user = user or person.user
    if user is not None:
        Notification.objects.filter(
            recipient=user,
            reason=NOTIFICATION_REASON,
            period_key=notification_key(notice.pk),
            read_at__isnull=True,
        ).update(read_at=now)
    return receipt
