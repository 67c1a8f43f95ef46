"""The yearly re-declaration reminder, as a service the Celery task calls.

One `notify()` per member and year, keyed by (recipient, reason, year): a sweep that
runs daily through the reminder month, late, twice or concurrently finds the rows
already there. A member who has declared for the year is not reminded.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Person
from notifications.services import notify

from .models import Declaration

REDECLARATION = "dues_redeclaration"


def redeclaration_reminders_send(*, today: datetime.date, month: int = 1) -> int:
    """In `month` (January by default), remind every party member with a login who has
    not declared their base for this year. Returns how many notifications it created."""
    if today.month != month:
        return 0
    declared = Declaration.objects.filter(year=today.year).values("person_id")
    people = (
        Person.objects.party_members()
        .active()
        .filter(user__isnull=False)
        .exclude(pk__in=declared)
        .select_related("user")
        .order_by("pk")
    )
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            created += notify(
                recipient=person.user,
                reason=REDECLARATION,
                period_key=str(today.year),
                title=_("Declare your dues base for %(year)d") % {"year": today.year},
                body=_(
                    "Party dues are worked out from your monthly after-tax income (the "
                    "pension for retirees), declared once a year. Please declare it for "
                    "%(year)d, or ask your branch secretary to record it."
                )
                % {"year": today.year},
                url=reverse("dues:mine"),
            )
    return created
