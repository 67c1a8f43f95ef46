from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """The person register, memberships, posts and role-scoped access."""

    name = "members"
    verbose_name = _("People and roles")
