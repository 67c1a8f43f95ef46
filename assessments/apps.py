from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Yearly schemes and reviews the committee runs, drawing on meetings and liaison
    data: standards assessment, democratic appraisal, one post two duties, red flag."""

    name = "assessments"
    verbose_name = _("Assessments")
