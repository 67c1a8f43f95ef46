"""Study reminders: each member is reminded once per assignment of a material they have
not read, from `days_before` days before it is due (so a missed run catches up), until
the due date. Keyed by (recipient, reason, assignment) through `notify()`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Person
from notifications.services import notify

from .models import Assignment, ReadRecord

STUDY_DUE = "study_due"


def study_due_reminders_send(*, today: datetime.date, days_before: int = 3) -> int:
    """Remind the members who have not read a material due within `days_before` days.
    Returns how many notifications this run created."""
    with translation.override(settings.LANGUAGE_CODE):
        created = 0
        due = (
            Assignment.objects.filter(
                due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days_before)
            )
            .select_related("material", "organisation")
            .order_by("due_on", "pk")
        )
        for assignment in due:
            path = assignment.organisation.path
            people = (
                Person.objects.active()
                .party_members()
                .filter(Q(branch__path__startswith=path) | Q(group__path__startswith=path))
                .filter(user__isnull=False)
                .exclude(
                    Exists(
                        ReadRecord.objects.filter(
                            person=OuterRef("pk"), material=assignment.material_id
                        )
                    )
                )
                .select_related("user")
            )
            for person in people:
                created += notify(
                    recipient=person.user,
                    reason=STUDY_DUE,
                    period_key=str(assignment.pk),
                    title=_("Study “%(title)s” by %(date)s")
                    % {"title": assignment.material.title, "date": date_format(assignment.due_on)},
                    body=_(
                        "%(org)s assigned this study material; mark it as read once you "
                        "have studied it, and take its quiz if it has one."
                    )
                    % {"org": assignment.organisation.name},
                    url=reverse("study:material_detail", args=[assignment.material_id]),
                )
        return created
