from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    """Study with credits and quizzes (学习积分): materials assigned to organisations,
    reading records, a question bank, quizzes and credit rankings.

    Its own app: study content and credits are a catalogue of their own, linked to
    the monthly study reminders of `meetings` but not part of a meeting.
    """

    name = "study"
    verbose_name = _("Study and credits")
