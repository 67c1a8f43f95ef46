"""Pages for notices. Thin: access through `members.access` (and `.access`), reads
through `selectors`, writes through `services`."""

from .notices import (
    attachment_download,
    attachment_remove,
    index,
    notice_create,
    notice_delete,
    notice_detail,
    notice_edit,
    notice_publish,
    notice_withdraw,
    sent_export,
    sent_list,
)
from .panels import organisation_panel, overview_panel, person_panel
from .receipts import receipt_report, unread_export

__all__ = [
    "attachment_download",
    "attachment_remove",
    "index",
    "notice_create",
    "notice_delete",
    "notice_detail",
    "notice_edit",
    "notice_publish",
    "notice_withdraw",
    "organisation_panel",
    "overview_panel",
    "person_panel",
    "receipt_report",
    "sent_export",
    "sent_list",
    "unread_export",
]
