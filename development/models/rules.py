"""The development rules as data: the committee edits them in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

REGULATION = "《中国共产党发展党员工作细则》(2014)"


class DevelopmentRule(models.Model):
    """One rule of the member-development pipeline (a minimum duration, a deadline, a
    count), seeded from the regulations and editable by the committee.

    The services read the values through `rules()`; no value is a constant in code.
    """

    class Code(models.TextChoices):
        MIN_AGE = "min_age", _("Minimum age of an applicant")
        TALK_WITHIN = "talk_within", _("Talk with the applicant within")
        ACTIVIST_MIN = "activist_min", _("Minimum time as an activist")
        ASSESSMENT_INTERVAL = "assessment_interval", _("Activist assessed every")
        CONTACTS_MIN = "contacts_min", _("Cultivating contacts, at least")
        CONTACTS_MAX = "contacts_max", _("Cultivating contacts, at most")
        TRAINING_DAYS = "training_days", _("Training of at least (days)")
        TRAINING_HOURS = "training_hours", _("or at least (class hours)")
        INTRODUCERS = "introducers", _("Introducers")
        APPROVAL_WITHIN = "approval_within", _("Higher committee approval within")
        PROBATION = "probation", _("Probation")
        EXTENSION_MIN = "extension_min", _("Extension of probation, at least")
        EXTENSION_MAX = "extension_max", _("Extension of probation, at most")
        REMINDER_LEAD = "reminder_lead", _("Remind the secretary this long before")

    class Unit(models.TextChoices):
        YEARS = "years", _("years")
        MONTHS = "months", _("months")
        DAYS = "days", _("days")
        HOURS = "hours", _("class hours")
        PEOPLE = "people", _("people")

    code = models.CharField(_("rule"), max_length=24, choices=Code.choices, unique=True)
    value = models.PositiveSmallIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=100, default=REGULATION)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("development rule")
        verbose_name_plural = _("development rules")

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.value} {self.get_unit_display()}"
