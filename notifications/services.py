"""Writes for notifications: create once per key, e-mail at most once per row."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    recipient: AbstractBaseUser,
    reason: str,
    period_key: str,
    title: str,
    body: str = "",
    url: str = "",
    send_email: bool = True,
) -> bool:
    """Create the notification unless (recipient, reason, period_key) exists already.

    Returns whether this call created it. Two concurrent callers both try to insert;
    the unique constraint lets one win, and the loser reads the winner's row
    (`get_or_create` retries the read after the IntegrityError), so the pair yields
    exactly one row.
    """
    _, created = Notification.objects.get_or_create(
        recipient=recipient,
        reason=reason,
        period_key=period_key,
        defaults={"title": title, "body": body, "url": url, "send_email": send_email},
    )
    return created


def notification_mark_read(
    *, user: AbstractBaseUser, pks: list[int] | None = None
) -> int:
    """Mark some (or, without `pks`, every) unread notification of the user as read."""
    queryset = Notification.objects.for_user(user).unread()
    if pks is not None:
        queryset = queryset.filter(pk__in=pks)
    return queryset.update(read_at=timezone.now())


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail if nobody has claimed it yet; True if sent.

    The claim is a conditional UPDATE ... WHERE emailed_at IS NULL: of several
    senders exactly one changes the row, and only that one sends. A worker killed
    after the claim loses that e-mail (at most once); a send that fails with an
    error releases the claim so the next sweep retries it.
    """
    if transaction.get_connection().in_atomic_block:
        # An e-mail sent inside a transaction that later rolls back would announce
        # something that never happened.
        raise RuntimeError("Send notification e-mails after commit, not inside a transaction.")
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
    try:
        send_mail(
            notification.title,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        logger.exception("E-mail for notification %s failed; released for retry",
                         notification_id)
        return False
    return True


def emails_send_pending(*, limit: int = 200) -> int:
    """Send the e-mails of notifications not yet e-mailed; returns how many were sent."""
    ids = list(
        Notification.objects.email_pending().order_by("created_at").values_list("pk", flat=True)[
            :limit
        ]
    )
    return sum(notification_email_send(notification_id=pk) for pk in ids)
