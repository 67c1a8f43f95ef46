"""Term-end reminders: the organisation's secretary and the secretary of the higher
organisation are told 6 months and 1 month before a term ends (the windows come from
the term rule), and once more when it is overdue.

Exactly once by construction: each reminder is one `notify()` keyed by (recipient,
reason, "<term>:<window>"), whose unique constraint lets one of several concurrent
sweeps win. A sweep sends the narrowest window a term has reached by today, never on
an exact day, so a missed run catches up without a burst of stale reminders.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Post
from notifications.services import notify

from .dates import add_months
from .models import Term, TermRule

TERM_END = "term_end"
FIRST, SECOND, OVERDUE = "first", "second", "overdue"


def _in_portal_language(send):
    @functools.wraps(send)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return send(*args, **kwargs)

    return wrapper


def window_of(term: Term, rule: TermRule, today: datetime.date) -> str | None:
    """The narrowest reminder window the term has reached by `today`."""
    if term.ends_on < today:
        return OVERDUE
    if today >= add_months(term.ends_on, -rule.second_reminder_months):
        return SECOND
    if today >= add_months(term.ends_on, -rule.first_reminder_months):
        return FIRST
    return None


def _secretaries(organisation_ids) -> dict[int, list]:
    users = defaultdict(list)
    for post in (
        Post.objects.current()
        .filter(
            role=Post.Role.SECRETARY,
            organisation_id__in=organisation_ids,
            person__user__isnull=False,
            person__is_active=True,
        )
        .select_related("person__user")
    ):
        users[post.organisation_id].append(post.person.user)
    return users


def _parent_ids(organisations) -> dict[int, int]:
    """Each organisation's parent, from the paths (one query for all)."""
    step = Organisation.steplen
    parent_paths = {org.pk: org.path[:-step] for org in organisations if org.depth > 1}
    by_path = dict(
        Organisation.objects.filter(path__in=set(parent_paths.values())).values_list("path", "pk")
    )
    return {pk: by_path[path] for pk, path in parent_paths.items() if path in by_path}


@_in_portal_language
def term_reminders_send(*, today: datetime.date) -> int:
    """Send the term-end reminders due by `today`; returns how many this run created."""
    rules = {rule.organisation_kind: rule for rule in TermRule.objects.all()}
    widest = max([r.first_reminder_months for r in rules.values()] + [6])
    terms = list(
        Term.objects.open()
        .filter(ends_on__lte=add_months(today, widest), organisation__is_active=True)
        .select_related("organisation")
        .order_by("ends_on", "pk")
    )
    due = []
    for term in terms:
        rule = rules.get(term.organisation.kind) or TermRule.for_kind(term.organisation.kind)
        window = window_of(term, rule, today)
        if window is not None:
            due.append((term, window))
    if not due:
        return 0
    parents = _parent_ids([term.organisation for term, _w in due])
    secretaries = _secretaries({t.organisation_id for t, _w in due} | set(parents.values()))
    created = 0
    for term, window in due:
        organisation = term.organisation
        if window == OVERDUE:
            title = _("The term of %(org)s ended on %(date)s: the election is overdue") % {
                "org": organisation.name,
                "date": date_format(term.ends_on),
            }
            body = _(
                "Hold the election now; a delay needs the higher organisation's "
                "approval (《中国共产党基层组织选举工作条例》)."
            )
        else:
            title = _("The term of %(org)s ends on %(date)s") % {
                "org": organisation.name,
                "date": date_format(term.ends_on),
            }
            body = _(
                "Prepare the election: candidates are approved by the higher "
                "organisation beforehand (《中国共产党基层组织选举工作条例》)."
            )
        recipients = list(secretaries.get(term.organisation_id, ()))
        recipients += secretaries.get(parents.get(term.organisation_id), [])
        for user in {u.pk: u for u in recipients}.values():
            created += notify(
                recipient=user,
                reason=TERM_END,
                period_key=f"{term.pk}:{window}",
                title=title,
                body=body,
                url=reverse("elections:organisation", args=[term.organisation_id]),
            )
    return created
