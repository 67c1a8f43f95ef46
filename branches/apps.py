from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    """The organisation tree, the supply chain mapping and the structure rules."""

    name = "branches"
    verbose_name = _("Organisation")
