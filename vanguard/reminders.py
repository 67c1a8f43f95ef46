"""Reminders about pledges, as services the Celery task calls.

Each reminder is one `notify()` keyed by (recipient, reason, period): the sweep runs
daily and reminds each branch secretary once a week while pledges of their branch
wait for approval; a run that comes again, late or twice at once finds the rows
already there, and a missed day is caught up the next.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from members.models import Post
from notifications.services import notify

from .models import Pledge

PLEDGES_TO_REVIEW = "pledges_to_review"


def pledge_review_reminders_send(*, today: datetime.date, waiting_days: int = 3) -> int:
    """Remind each branch secretary, once per ISO week, of the branch's pledges that
    have waited `waiting_days` days or more; returns how many reminders were created."""
    year, week, _day = today.isocalendar()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=waiting_days), datetime.time.max)
    )
    waiting = (
        Pledge.objects.pending()
        .values("branch")
        .annotate(n=Count("pk"), oldest=Min("updated_at"))
        .filter(oldest__lte=since)
    )
    counts = {row["branch"]: row["n"] for row in waiting}
    if not counts:
        return 0
    secretaries = (
        Post.objects.current(today)
        .filter(organisation_id__in=counts, role=Post.Role.SECRETARY, person__user__isnull=False)
        .select_related("organisation", "person__user")
    )
    created = 0
    # Written in the portal's language, whatever a shell or request left active.
    with translation.override(settings.LANGUAGE_CODE):
        for post in secretaries:
            n = counts[post.organisation_id]
            created += notify(
                recipient=post.person.user,
                reason=PLEDGES_TO_REVIEW,
                period_key=f"{year}-W{week:02d}:{post.organisation_id}",
                title=ngettext(
                    "%(n)d pledge of %(org)s awaits your approval",
                    "%(n)d pledges of %(org)s await your approval",
                    n,
                )
                % {"n": n, "org": post.organisation.name},
                url=reverse("vanguard:pledge_list", args=[post.organisation_id])
                + "?status=submitted",
            )
    return created
