from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    """Committee terms and elections (换届): terms with their reminders, and election
    records (candidates approved, the vote, the quorum, the result).

    Its own app: an election is a regulated procedure with its own records; its result
    becomes posts through `members.services`.
    """

    name = "elections"
    verbose_name = _("Terms and elections")
