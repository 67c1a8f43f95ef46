"""The weekly reminder to the service team: from the reminder weekday on, while some
active key project has no status for the current week, every current team member with a
login is told once that week (keyed by recipient, reason and week), so a missed day
catches up and a rerun sends nothing twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import notify

from .models import KeyProject, TeamMember, week_start

REASON = "serviceteam_weekly_status"


def status_reminders_send(*, today: datetime.date, weekday: int = 3) -> int:
    """Remind the team of this week's missing statuses; returns how many were created.
    `weekday` is the first day of the week to remind on (0 = Monday, 3 = Thursday)."""
    if today.weekday() < weekday:
        return 0
    week = week_start(today)
    missing = KeyProject.objects.active().exclude(statuses__week=week).count()
    if not missing:
        return 0
    places = (
        TeamMember.objects.current(today)
        .filter(
            team__is_active=True,
            person__is_active=True,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .select_related("person__user")
    )
    users = {place.person.user_id: place.person.user for place in places}
    url = f"{reverse('serviceteam:board')}?week={week.isoformat()}&show=missing"
    created = 0
    for user in users.values():
        created += _remind(user, url=url, week=week, missing=missing)
    return created


def _remind(user, *, url: str, week: datetime.date, missing: int) -> bool:
    # Written in the portal's language, whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            recipient=user,
            reason=REASON,
            period_key=week.isoformat(),
            title=_("Supply status: %(n)d key projects not yet entered for the week of %(week)s")
            % {"n": missing, "week": week.isoformat()},
            body=_(
                "Enter the week's plan allocation, tendering, contract settlement and "
                "arrival for the projects still missing, or import the weekly sheet."
            ),
            url=url,
        )
