from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings, attendance, compliance rules and the party-life reminders.

    A separate app from `members` and `branches`: those own who people are and where
    they sit; this one owns what organisations *do* and whether it meets the rules.
    """

    name = "meetings"
    verbose_name = _("Party life")
