"""Notices (通知公告): published by an organisation to its subtree, with attachments
and one receipt row per addressee."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person
from supplychain_party.models import StoredFile

# The reason of the bell's notifications; with period_key f"notice-{pk}" each
# addressee's notification is unique.
NOTIFICATION_REASON = "notice"


def notification_key(notice_pk: int) -> str:
    return f"notice-{notice_pk}"


class NoticeQuerySet(models.QuerySet):
    def published(self) -> NoticeQuerySet:
        return self.filter(status=Notice.Status.PUBLISHED)

    def important(self) -> NoticeQuerySet:
        return self.filter(importance=Notice.Importance.IMPORTANT)

    def current(self, on: datetime.date | None = None) -> NoticeQuerySet:
        """Published and not expired."""
        on = on or timezone.localdate()
        return self.published().filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))

    def with_read_by(self, person: Person | None) -> NoticeQuerySet:
        """Annotate `is_read`: whether `person` has opened the notice."""
        if person is None:
            return self.annotate(is_read=models.Value(False))
        read = NoticeReceipt.objects.filter(
            notice=OuterRef("pk"), person=person, read_at__isnull=False
        )
        return self.annotate(is_read=Exists(read))

    def with_receipt_counts(self) -> NoticeQuerySet:
        """Annotate `addressed` and `read` (receipt rows, and those read), by subqueries
        so that other joins cannot multiply them."""
        receipts = NoticeReceipt.objects.filter(notice=OuterRef("pk")).order_by()
        count = models.Func(models.F("pk"), function="COUNT")

        def counted(queryset):
            return models.Subquery(
                queryset.values("notice").annotate(n=count).values("n"),
                output_field=models.IntegerField(),
            )

        return self.annotate(
            addressed=models.functions.Coalesce(counted(receipts), 0),
            read=models.functions.Coalesce(counted(receipts.filter(read_at__isnull=False)), 0),
        ).annotate(unread=models.F("addressed") - models.F("read"))


class Notice(models.Model):
    """A notice from an organisation to everyone in its subtree.

    Written as a draft, published once (a conditional update: a double click publishes
    once), and withdrawn if it was a mistake; publishing writes one receipt row per
    addressee, which the bell's notifications and the receipt report are built on.
    """

    class Importance(models.TextChoices):
        NORMAL = "normal", _("Normal")
        IMPORTANT = "important", _("Important")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("from"),
        help_text=_("The organisation the notice comes from; it goes to the whole subtree."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Plain text; line breaks are kept."))
    importance = models.CharField(
        _("importance"),
        max_length=10,
        choices=Importance.choices,
        default=Importance.NORMAL,
        help_text=_(
            "Important notices are also e-mailed, and the committee follows who has not read them."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Optional: after this day the notice is shown as expired."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Set when the bell's fan-out has run: a published notice without it is picked up
    # by the delivery sweep (the broker was down when it was published).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The compose form's one-time token: a double submit creates one draft.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["organisation", "status"], name="notice_org_status_idx"),
            models.Index(
                fields=["-published_at"],
                name="notice_published_idx",
                condition=Q(status="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="notice_published_has_date",
                violation_error_message=_("A published notice needs its publication time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_important(self) -> bool:
        return self.importance == self.Importance.IMPORTANT

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"notices/{today:%Y/%m}/{instance.notice_id}/{filename}"


class NoticeAttachment(StoredFile):
    """A file sent with a notice; downloaded through a scoped view, never as raw media."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)


class NoticeReceipt(models.Model):
    """One addressee of a published notice, and when they read it.

    Written for the whole audience when the notice is published (the audience as it
    was that day: who transfers in later and opens it gets a row then), so "read x of
    y" and the list of who has not read are plain counts of these rows.
    """

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("notice")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="notice_receipts",
        verbose_name=_("person"),
    )
    # The reader's branch when the notice was published, for the per-branch report.
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["notice", "person__name", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "person"],
                name="one_receipt_per_notice_person",
                violation_error_message=_("This person already has a receipt for this notice."),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "notice"], name="receipt_person_idx"),
            models.Index(
                fields=["notice"], name="receipt_unread_idx", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.person}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
