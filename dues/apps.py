from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    """Membership dues (党费): brackets, declared bases, the monthly collection ledger.

    Its own app: money with its own rules (exact decimals, append-only corrections)
    and its own ledger, kept apart from the membership register.
    """

    name = "dues"
    verbose_name = _("Membership dues")
