"""Writing, publishing and withdrawing a notice: the one write path for the portal, the
admin and the demo."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from branches.models import Organisation
from notifications.models import Notification
from supplychain_party.concurrency import check_version, version_token

from ..models import NOTIFICATION_REASON, Notice, NoticeAttachment, NoticeReceipt, notification_key
from ..selectors import audience
from .uploads import validate_upload

logger = logging.getLogger(__name__)

RECEIPT_BATCH = 1000


@dataclass(frozen=True)
class NoticeData:
    """The editable fields of a notice."""

    title: str
    body: str
    importance: str = Notice.Importance.NORMAL
    expires_on: datetime.date | None = None


def notice_validate(*, organisation: Organisation, data: NoticeData) -> None:
    errors = []
    if not organisation.is_active:
        errors.append(
            _("%(name)s is no longer active; it cannot send notices.") % {"name": organisation.name}
        )
    if not data.title.strip():
        errors.append(_("Give the notice a title."))
    if not data.body.strip():
        errors.append(_("Write the text of the notice."))
    if data.importance not in Notice.Importance.values:
        errors.append(_("Unknown importance."))
    if errors:
        raise ValidationError(errors)


def _history_save(notice: Notice, by: AbstractBaseUser | None, fields: list[str]) -> None:
    """Save the (already changed) row again so that its history records who did it."""
    notice._history_user = by
    notice.save(update_fields=fields)


@transaction.atomic
def notice_create(
    *,
    organisation: Organisation,
    data: NoticeData,
    by: AbstractBaseUser | None,
    form_token: uuid.UUID | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Notice:
    """A draft notice from `organisation`, with its attachments (all kept or, if one
    file is refused, nothing). With the compose form's token, a second submit of the
    same form returns the draft the first one created."""
    notice_validate(organisation=organisation, data=data)
    if form_token is not None:
        existing = Notice.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    notice = Notice(
        organisation=organisation,
        title=data.title.strip(),
        body=data.body.strip(),
        importance=data.importance,
        expires_on=data.expires_on,
        created_by=by,
        form_token=form_token,
    )
    notice._history_user = by
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        # The same form submitted twice at once: the other submit won.
        return Notice.objects.get(form_token=form_token)
    if uploads:
        attachments_add(notice=notice, uploads=list(uploads), by=by)
    return notice


def _locked_draft(notice: Notice) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if not locked.is_draft:
        raise ValidationError(
            _("Only a draft can be changed; this notice is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def notice_version(notice: Notice) -> str:
    """The edit page's version token (see `supplychain_party.concurrency`)."""
    return version_token(notice, NoticeData)


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    data: NoticeData,
    by: AbstractBaseUser | None,
    uploads: Sequence[UploadedFile] = (),
    version: str = "",
) -> Notice:
    """Change a draft and add files to it (a published notice is final: withdraw it
    and write another); refused when someone saved it since the page was opened
    (`version`)."""
    locked = _locked_draft(notice)
    check_version(version, notice_version(locked))
    notice_validate(organisation=locked.organisation, data=data)
    locked.title, locked.body = data.title.strip(), data.body.strip()
    locked.importance, locked.expires_on = data.importance, data.expires_on
    _history_save(locked, by, ["title", "body", "importance", "expires_on"])
    if uploads:
        attachments_add(notice=locked, uploads=list(uploads), by=by)
    return locked


@transaction.atomic
def attachment_add(
    *, notice: Notice, upload: UploadedFile, by: AbstractBaseUser | None
) -> NoticeAttachment:
    """Attach a checked file to a draft."""
    _locked_draft(notice)
    content_type = validate_upload(upload)
    return NoticeAttachment.objects.create(
        notice=notice,
        file=upload,
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


@transaction.atomic
def attachments_add(
    *, notice: Notice, uploads: list[UploadedFile], by: AbstractBaseUser | None
) -> list[NoticeAttachment]:
    """Several files at once: all are checked first, and none is kept if one is refused."""
    _locked_draft(notice)
    errors = []
    for upload in uploads:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return [attachment_add(notice=notice, upload=upload, by=by) for upload in uploads]


@transaction.atomic
def attachment_remove(*, attachment: NoticeAttachment, by: AbstractBaseUser | None) -> None:
    _locked_draft(attachment.notice)
    attachment.file.delete(save=False)
    attachment.delete()


def _enqueue_fan_out(notice_id: int) -> None:
    """Queue the fan-out; with the broker down the notice is published all the same,
    and the delivery sweep (`notices_deliver_pending`) fans it out once it is back."""
    from ..tasks import fan_out_notice

    try:
        fan_out_notice.delay(notice_id)
    except (KombuOperationalError, OSError):
        logger.warning(
            "notice %s: the broker is down; the delivery sweep will fan it out", notice_id
        )


@transaction.atomic
def notice_publish(
    *,
    notice: Notice,
    by: AbstractBaseUser | None,
    now: datetime.datetime | None = None,
    enqueue: bool = True,
) -> bool:
    """Publish a draft once: a conditional update (draft -> published), so of two
    clicks exactly one publishes, writes the receipts of the audience and, after
    commit, queues the bell's fan-out. Returns whether this call published.

    `enqueue=False` leaves the fan-out to the caller (the demo calls
    `notice_fan_out` itself, with no worker running).
    """
    now = now or timezone.now()
    current = Notice.objects.select_related("organisation").get(pk=notice.pk)
    if current.is_published:
        return False  # already published (a second click): nothing to do
    if not current.is_draft:
        raise ValidationError(_("A withdrawn notice cannot be published again; write a new one."))
    notice_validate(
        organisation=current.organisation,
        data=NoticeData(current.title, current.body, current.importance, current.expires_on),
    )
    if current.expires_on is not None and current.expires_on < timezone.localdate(now):
        raise ValidationError(
            _("The notice expired on %(date)s; change its validity date first.")
            % {"date": current.expires_on.isoformat()}
        )
    people = list(audience(current.organisation).values_list("pk", "branch_id"))
    if not people:
        raise ValidationError(
            _("Nobody in %(name)s and below would receive this notice.")
            % {"name": current.organisation.name}
        )
    claimed = Notice.objects.filter(pk=notice.pk, status=Notice.Status.DRAFT).update(
        status=Notice.Status.PUBLISHED, published_at=now, published_by=by
    )
    if claimed != 1:
        return False  # the other click won
    NoticeReceipt.objects.bulk_create(
        [
            NoticeReceipt(notice_id=notice.pk, person_id=pk, branch_id=branch_id)
            for pk, branch_id in people
        ],
        batch_size=RECEIPT_BATCH,
        ignore_conflicts=True,
    )
    current.refresh_from_db()
    _history_save(current, by, ["status", "published_at", "published_by"])
    notice.refresh_from_db()
    if enqueue:
        transaction.on_commit(lambda: _enqueue_fan_out(notice.pk))
    return True


@transaction.atomic
def notice_withdraw(
    *, notice: Notice, by: AbstractBaseUser | None, now: datetime.datetime | None = None
) -> bool:
    """Withdraw a published notice: readers no longer see it and its notifications
    leave the bell. Returns whether this call withdrew it."""
    claimed = Notice.objects.filter(pk=notice.pk, status=Notice.Status.PUBLISHED).update(
        status=Notice.Status.WITHDRAWN, withdrawn_at=now or timezone.now()
    )
    if claimed != 1:
        notice.refresh_from_db()
        if notice.is_withdrawn:
            return False
        raise ValidationError(
            _("Only a published notice can be withdrawn; delete a draft instead.")
        )
    # The fan-out holds the notice's row lock while it writes, and the update above
    # waited for it: no notification of this notice is written after this delete.
    Notification.objects.filter(
        reason=NOTIFICATION_REASON, period_key=notification_key(notice.pk)
    ).delete()
    notice.refresh_from_db()
    _history_save(notice, by, ["status", "withdrawn_at"])
    return True


@transaction.atomic
def notice_delete(*, notice: Notice, by: AbstractBaseUser | None) -> None:
    """Delete a draft (nobody has seen it)."""
    locked = _locked_draft(notice)
    for attachment in locked.attachments.all():
        attachment.file.delete(save=False)
    locked._history_user = by
    locked.delete()
