from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins: protection against password guessing, the password policy and idle
    sessions.

    Its own app: these rules are about logins, not about who a person is in the party
    register (`members`), and every other app relies on them without knowing them.
    """

    name = "accounts"
    verbose_name = _("Logins")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login receivers)
