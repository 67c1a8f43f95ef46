from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The cross-app dashboard per organisation and period, and its maintained
    summary (see the package docstring for why it is an app of its own)."""

    name = "overview"
    verbose_name = _("Overview dashboard")
