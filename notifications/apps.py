from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications shared by every app: the exactly-once key and the e-mail outbox."""

    name = "notifications"
    verbose_name = _("Notifications")
