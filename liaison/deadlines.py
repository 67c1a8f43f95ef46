"""The ledger's deadlines, as services the Celery tasks call: remind the owner before
the deadline, escalate an overdue problem one organisation up at a time.

Each job is a function that processes one due problem and returns whether it did
something; the sweep calls it for every problem due *by* now (never on an exact
day), so a missed run catches up. A problem is claimed with a conditional UPDATE on
its schedule columns: of two sweeps at once exactly one changes the row, and only
that one notifies. The Escalation row's unique (problem, level) key backs it up.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Post
from notifications.services import notify

from .models import OPEN_STATES, Escalation, Problem, ProblemEvent

PROBLEM_REMINDER = "problem_reminder"
PROBLEM_ESCALATED = "problem_escalated"
# A problem climbs at most this many levels in one sweep (the tree is shallower).
MAX_LEVELS_PER_SWEEP = 10


def problem_remind_one(*, problem_id: int, now: datetime.datetime) -> bool:
    """Remind the owner of one problem whose reminder is due; True if this call did."""
    with transaction.atomic():
        problem = (
            Problem.objects.select_related("owner__user", "organisation")
            .filter(pk=problem_id).reminder_due(now).first()
        )
        if problem is None:
            return False
        claimed = Problem.objects.filter(
            pk=problem.pk, remind_after=problem.remind_after, state__in=OPEN_STATES
        ).update(remind_after=None)
        if claimed != 1:
            return False
        user = problem.owner.user
        if user is None or not problem.owner.is_active:
            return True  # nobody to tell in the portal; the schedule is spent all the same
        notify(
            recipient=user,
            reason=PROBLEM_REMINDER,
            # Keyed by the deadline: a reopened problem with a new deadline is reminded again.
            period_key=f"{problem.pk}:{problem.deadline.isoformat()}",
            title=_("Deadline %(date)s: %(title)s")
            % {"date": date_format(problem.deadline), "title": problem.title},
            body=_("You are responsible for this problem of %(org)s. Solve it and give the "
                   "person who raised it feedback before the deadline; an overdue problem is "
                   "escalated to the organisation above.") % {"org": problem.organisation.name},
            url=reverse("liaison:problem_detail", args=[problem.pk]),
        )
        return True


def problem_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every owner reminder due by now; returns how many problems were reminded."""
    now = now or timezone.now()
    ids = list(Problem.objects.reminder_due(now).order_by("remind_after", "pk")
               .values_list("pk", flat=True))
    return sum(problem_remind_one(problem_id=pk, now=now) for pk in ids)


def _secretaries(organisation: Organisation):
    return [
        post.person.user for post in
        Post.objects.current().filter(
            organisation=organisation, role__in=(Post.Role.SECRETARY, Post.Role.DEPUTY_SECRETARY),
            person__user__isnull=False, person__is_active=True,
        ).select_related("person__user")
    ]


def problem_escalate_one(*, problem_id: int, now: datetime.datetime) -> bool:
    """Hand one overdue problem to the next organisation up; True if this call did.

    Level 1 is the parent of the responsible organisation, level 2 its parent, and
    so on; the next level falls due `category.escalate_every_days` after this one
    was due (not after now), so a sweep after a long gap climbs every level that
    fell due meanwhile. At the top the schedule is simply cleared.
    """
    with transaction.atomic():
        problem = (
            Problem.objects.select_related("organisation", "category")
            .filter(pk=problem_id).escalation_due(now).first()
        )
        if problem is None:
            return False
        # Ancestors nearest first; read from the database, as paths may have been renumbered.
        above = list(reversed(Organisation.objects.get_ancestors(problem.organisation)))
        level = problem.escalation_level + 1
        target = above[level - 1] if level <= len(above) else None
        if target is not None and level < len(above):
            next_after = problem.escalate_after + datetime.timedelta(
                days=problem.category.escalate_every_days)
        else:
            next_after = None
        claimed = Problem.objects.filter(
            pk=problem.pk, escalation_level=problem.escalation_level,
            escalate_after=problem.escalate_after, state__in=OPEN_STATES,
        ).update(escalation_level=level if target else problem.escalation_level,
                 escalate_after=next_after)
        if claimed != 1 or target is None:
            return False
        Escalation.objects.create(problem=problem, level=level, organisation=target,
                                  escalated_at=now)
        ProblemEvent.objects.create(
            problem=problem, action="escalate", at=now, from_state=problem.state,
            to_state=problem.state,
            note=_("Overdue since %(date)s: escalated to %(org)s (level %(level)d).")
            % {"date": date_format(problem.deadline), "org": target.name, "level": level},
        )
        for user in _secretaries(target):
            notify(
                recipient=user,
                reason=PROBLEM_ESCALATED,
                period_key=f"{problem.pk}:{level}",
                title=_("Overdue problem escalated to %(org)s: %(title)s")
                % {"org": target.name, "title": problem.title},
                body=_("%(owner)s of %(from)s was to solve it by %(date)s. Please follow it up.")
                % {"owner": problem.owner.name if problem.owner_id else "",
                   "from": problem.organisation.name, "date": date_format(problem.deadline)},
                url=reverse("liaison:problem_detail", args=[problem.pk]),
            )
        return True


def problem_escalations_run(*, now: datetime.datetime | None = None) -> int:
    """Escalate every problem due by now, as many levels as have fallen due; returns
    how many escalations this run made."""
    now = now or timezone.now()
    made = 0
    for _round in range(MAX_LEVELS_PER_SWEEP):
        ids = list(Problem.objects.escalation_due(now).order_by("escalate_after", "pk")
                   .values_list("pk", flat=True))
        if not ids:
            break
        made_now = sum(problem_escalate_one(problem_id=pk, now=now) for pk in ids)
        made += made_now
        if not made_now and not Problem.objects.escalation_due(now).exists():
            break
    return made
