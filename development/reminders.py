"""The development reminders: the branch secretary hears of each due step once.

A step with a deadline (the talk, the higher committee's approval) is reminded as
soon as it is pending; a recurring or distant one (the half-yearly assessment, the
end of the probation) from the rule's lead time before it falls due. Each reminder is
one `notify()` keyed by (candidacy, step, due date): a rerun, a late run or two runs
at once find the row already there, and a missed day catches up.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Post
from notifications.services import notify

from .models import Candidacy
from .rules import Code, Rules
from .selectors import NextStep, Step, next_step, with_progress

REASON = "development"
PENDING_STEPS = (Step.TALK, Step.APPROVE)
LEAD_STEPS = (Step.ASSESS, Step.CONCLUDE)


def _in_portal_language(send):
    @functools.wraps(send)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return send(*args, **kwargs)

    return wrapper


def reminder_due(step: NextStep | None, rules: Rules, today: datetime.date) -> bool:
    if step is None or step.due is None:
        return False
    if step.step in PENDING_STEPS:
        return True
    if step.step in LEAD_STEPS:
        return step.due - datetime.timedelta(days=rules[Code.REMINDER_LEAD].value) <= today
    return False


def _secretaries(branch_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for post in (
        Post.objects.current()
        .filter(
            role=Post.Role.SECRETARY,
            organisation_id__in=branch_ids,
            person__user__isnull=False,
            person__is_active=True,
        )
        .select_related("person__user")
    ):
        out.setdefault(post.organisation_id, []).append(post.person.user)
    return out


def _remind(candidacy: Candidacy, step: NextStep, users) -> int:
    if step.overdue:
        title = _("Overdue: %(step)s for %(name)s (due %(date)s)")
    else:
        title = _("Due: %(step)s for %(name)s by %(date)s")
    title = title % {
        "step": step.label,
        "name": candidacy.person.name,
        "date": date_format(step.due),
    }
    body = _(
        "%(branch)s: the next step of %(name)s's development is “%(step)s”, due by %(date)s."
    ) % {
        "branch": candidacy.branch.name,
        "name": candidacy.person.name,
        "step": step.label,
        "date": date_format(step.due),
    }
    url = reverse("development:candidacy_detail", args=[candidacy.pk])
    created = 0
    for user in users:
        created += notify(
            recipient=user,
            reason=REASON,
            period_key=f"{candidacy.pk}:{step.step}:{step.due.isoformat()}",
            title=title,
            body=body,
            url=url,
        )
    return created


@_in_portal_language
def due_reminders_send(*, today: datetime.date) -> int:
    """Remind each branch secretary of every due step in the branch; returns how many
    notifications this run created."""
    rules = Rules.load()
    candidacies = with_progress(Candidacy.objects.open().select_related("person", "branch"))
    due = []
    for candidacy in candidacies.order_by("pk"):
        step = next_step(candidacy, rules, today)
        if reminder_due(step, rules, today):
            due.append((candidacy, step))
    if not due:
        return 0
    leaders = _secretaries({c.branch_id for c, _step in due})
    return sum(_remind(c, step, leaders.get(c.branch_id, ())) for c, step in due)


@_in_portal_language
def candidacy_remind(*, candidacy: Candidacy, today: datetime.date) -> int:
    """The same for one record, right after a step (in the step's transaction)."""
    rules = Rules.load()
    step = next_step(candidacy, rules, today)
    if not reminder_due(step, rules, today):
        return 0
    return _remind(
        candidacy, step, _secretaries([candidacy.branch_id]).get(candidacy.branch_id, ())
    )
