from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    """Member development (发展党员) and two-way mentoring (双向双带).

    Its own app: the pipeline from applicant to full member has its own records
    (introducers, cultivating contacts, talks, training, approvals), dated rules and
    reminders; `members` keeps only the resulting political status.
    """

    name = "development"
    verbose_name = _("Member development")
