"""Writes for notifications: create once per key, e-mail at most once per row."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

# The first key of notify_many's advisory locks (the second is the reason's hash); the
# other (int, int) locks of the portal use other first keys (members/headcounts.py).
_FAN_OUT_LOCK = 0x6E6F7469  # "noti"


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


def notify_many(notifications: list[Notification]) -> int:
    """Create each of `notifications` (unsaved) unless its (recipient, reason,
    period_key) exists already; returns how many this call created.

    For fan-outs of thousands: one query finds the keys already there, one bulk insert
    per thousand writes the rest, instead of a `notify()` round trip per person.

    Two runs of one fan-out at once (a retried task beside the first) take turns: on
    PostgreSQL a transaction-level advisory lock per reason makes the second wait for
    the first to commit, then find every key there and create nothing, so the count
    each returns is its own. SQLite's single writer does the same. The unique
    constraint stays the last word (the insert skips a key written in between)."""
    if not notifications:
        return 0
    reasons = sorted({n.reason for n in notifications})
    period_keys = {n.period_key for n in notifications}
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for reason in reasons:  # sorted: two fan-outs never wait on each other in turn
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_FAN_OUT_LOCK, reason]
                    )
        existing = set(
            Notification.objects.filter(
                reason__in=reasons, period_key__in=period_keys
            ).values_list("recipient_id", "reason", "period_key")
        )
        fresh, seen = [], set(existing)
        for notification in notifications:
            key = (notification.recipient_id, notification.reason, notification.period_key)
            if key not in seen:
                seen.add(key)
                fresh.append(notification)
        Notification.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)


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
    notification = Notification.objects.select_related("recipient__person").get(
        pk=notification_id
    )
    try:
        notification_email(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        logger.exception("E-mail for notification %s failed; released for retry",
                         notification_id)
        return False
    return True


# The reason names a template file: only a plain identifier may.
_REASON = re.compile(r"[a-z0-9_]+")


def _email_templates(reason: str, suffix: str) -> list[str]:
    names = ["notifications/email/default" + suffix]
    if _REASON.fullmatch(reason):
        names.insert(0, f"notifications/email/{reason}{suffix}")
    return names


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of a notification, from the templates of its reason
    (`notifications/email/<reason>_subject.txt`, `.txt` and `.html`, falling back to
    `default`), in the portal's language.

    Rendered when the outbox sends, not when the notification is created, so a
    template fixed in between applies to every e-mail not yet sent.
    """
    recipient = notification.recipient
    person = getattr(recipient, "person", None)
    url = f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "recipient": recipient,
            "name": person.name if person else (recipient.get_full_name()
                                                or recipient.get_username()),
            "url": url,
            "language": translation.get_language(),
        }
        reason = notification.reason
        subject = render_to_string(_email_templates(reason, "_subject.txt"), context)
        # A header is one line, whatever the template's line breaks.
        context["subject"] = subject = " ".join(subject.split())
        text = render_to_string(_email_templates(reason, ".txt"), context)
        html = render_to_string(_email_templates(reason, ".html"), context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def emails_send_pending(*, limit: int = 200) -> int:
    """Send the e-mails of notifications not yet e-mailed; returns how many were sent."""
    ids = list(
        Notification.objects.email_pending().order_by("created_at").values_list("pk", flat=True)[
            :limit
        ]
    )
    return sum(notification_email_send(notification_id=pk) for pk in ids)
