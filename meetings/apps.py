from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings, attendance, compliance rules and the party-life reminders.

    A separate app from `members` and `branches`: those own who people are and where
    they sit; this one owns what organisations *do* and whether it meets the rules.
    """

    name = "meetings"
    verbose_name = _("Party life")

    def ready(self) -> None:
        # The summary follows the rules it is computed from, whichever app owns them.
        from django.db.models.signals import post_delete, post_save

        from branches.models import StructureRule

        from . import summary
        from .models import ComplianceRule

        for model in (ComplianceRule, StructureRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    summary.rule_changed, sender=model, dispatch_uid=f"summary-{model.__name__}"
                )
