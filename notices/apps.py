from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices (通知公告) from an organisation to its subtree, with attachments and read
    receipts.

    Its own app: published content with receipts per reader, unlike the per-person
    reminders of `notifications`.
    """

    name = "notices"
    verbose_name = _("Notices")
