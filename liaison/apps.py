from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    """Mass liaison and the problem ledger."""

    name = "liaison"
    verbose_name = _("Mass liaison")
