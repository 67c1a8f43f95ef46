"""Writes for notices: compose, publish once, withdraw; deliver to the bell; record
receipts. Keyword-only, validated first, one transaction each."""

from .delivery import (
    notice_emails_send,
    notice_fan_out,
    notices_deliver_pending,
    receipt_record,
)
from .notices import (
    NoticeData,
    attachment_add,
    attachment_remove,
    attachments_add,
    notice_create,
    notice_delete,
    notice_publish,
    notice_update,
    notice_validate,
    notice_version,
    notice_withdraw,
)
from .uploads import validate_upload

__all__ = [
    "NoticeData",
    "attachment_add",
    "attachment_remove",
    "attachments_add",
    "notice_create",
    "notice_delete",
    "notice_emails_send",
    "notice_fan_out",
    "notice_publish",
    "notice_update",
    "notice_validate",
    "notice_version",
    "notice_withdraw",
    "notices_deliver_pending",
    "receipt_record",
    "validate_upload",
]
