from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    """Membership transfers (组织关系转接): letters out of and into branches, inside the
    tree or to outside organisations, with their status.

    Its own app: a transfer is a document with a life of its own (issued, received,
    confirmed); the membership history it changes stays in `members`.
    """

    name = "transfers"
    verbose_name = _("Membership transfers")
