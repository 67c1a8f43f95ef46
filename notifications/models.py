from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def email_pending(self) -> NotificationQuerySet:
        """Rows whose e-mail has not been claimed yet, for recipients with an address."""
        return self.filter(emailed_at__isnull=True, send_email=True).exclude(
            recipient__email=""
        )


class Notification(models.Model):
    """One message to one user, for one reason and one period.

    The row is the outbox: it is written in the same transaction as whatever caused
    it, and (recipient, reason, period_key) is unique, so a job that runs twice, or
    two beat processes, find the row already there instead of sending again. The
    e-mail is sent later, after commit, by whoever claims `emailed_at` first.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=40,
        help_text=_("What the notification is about, e.g. monthly_study or compliance."),
    )
    period_key = models.CharField(
        _("period"),
        max_length=60,
        help_text=_("The period (and object) it is for; with the reason, sent once."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(_("send by e-mail"), default=True)
    # Set when a sender claims the e-mail (UPDATE ... WHERE emailed_at IS NULL): the
    # e-mail goes at most once per row even with several senders.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason", "period_key"],
                name="one_notification_per_recipient_reason_period",
                violation_error_message=_("This notification was already sent."),
            ),
        ]
        indexes = [
            # The bell: unread rows of one user.
            models.Index(
                fields=["recipient"], name="notification_unread_idx", condition=Q(read_at=None)
            ),
            # The e-mail sweep: rows not yet e-mailed.
            models.Index(
                fields=["created_at"],
                name="notification_email_due_idx",
                condition=Q(emailed_at=None, send_email=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
