"""The party-life reminders, as services the Celery tasks call.

Each reminder is one `notify()` keyed by (recipient, reason, period): a sweep that
runs again, late, or twice at once finds the rows already there. Both sweeps send
everything due *by* today, never only on an exact day, so a missed run catches up.
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
from notifications.models import Notification
from notifications.services import notify, notify_many

from .models import ComplianceRule, Meeting, MeetingKind
from .periods import MONTH, period_containing
from .selectors import expected_attendees, obligations

MONTHLY_STUDY = "monthly_study"
COMPLIANCE = "compliance"


def _in_portal_language(send):
    """Reminders are stored as text: write it in the portal's language, whatever the
    calling thread has activated (a worker has none; a shell or a request may)."""

    @functools.wraps(send)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return send(*args, **kwargs)

    return wrapper


@_in_portal_language
def monthly_study_reminders_send(*, today: datetime.date, day: int = 1) -> int:
    """Remind the members of each organisation that holds the monthly central-group
    study, from `day` of the month on, until the study of the month is submitted.

    Returns how many notifications this run created.
    """
    if today.day < day:
        return 0
    month = period_containing(MONTH, today)
    kinds = ComplianceRule.objects.filter(
        meeting_kind=MeetingKind.CENTRAL_STUDY, is_enabled=True
    ).values("organisation_kind")
    organisations = Organisation.objects.active().filter(kind__in=kinds)
    held = set(
        Meeting.objects.counted()
        .filter(kind=MeetingKind.CENTRAL_STUDY, organisation__in=organisations,
                held_at__date__gte=month.start, held_at__date__lt=month.end)
        .values_list("organisation_id", flat=True)
    )
    # The study app's page of what each member has still to read (学习积分).
    unread_url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("study:unread")
    my_attendance = reverse("meetings:my_attendance")
    reminders = []
    for organisation in organisations:
        if organisation.pk in held:
            continue
        people = expected_attendees(organisation, MeetingKind.CENTRAL_STUDY).filter(
            user__isnull=False
        )
        title = _("Monthly central-group study of %(org)s, %(month)s") % {
            "org": organisation.name,
            "month": month.label,
        }
        body = (
            _(
                "The second-level central-group study of %(org)s is held once a "
                "month. Bring the cross-department problems you want coordinated."
            )
            % {"org": organisation.name}
            + "\n"
            + _("Study materials you have still to read: %(url)s") % {"url": unread_url}
        )
        reminders.extend(
            Notification(
                recipient_id=user_id,
                reason=MONTHLY_STUDY,
                period_key=f"{organisation.pk}:{month.key}",
                title=title,
                body=body,
                url=my_attendance,
            )
            for user_id in people.values_list("user_id", flat=True)
        )
    # One bulk write for the whole fan-out: tens of thousands of reminders at a
    # provincial company, each still created once per person, organisation and month.
    return notify_many(reminders)


@_in_portal_language
def compliance_reminders_send(*, today: datetime.date, days_before: int = 7) -> int:
    """Remind the secretary (or group leader) of each organisation whose obligations
    are still missing when their period ends within `days_before` days.

    One notification per organisation and due date, listing what is missing.
    """
    organisations = Organisation.objects.active().order_by("path")
    due_soon: dict[tuple[int, datetime.date], list] = defaultdict(list)
    by_pk = {}
    for compliance in obligations(organisations, on=today):
        for obligation in compliance.obligations:
            if obligation.missing and 0 <= (obligation.due - today).days <= days_before:
                due_soon[(compliance.organisation.pk, obligation.due)].append(obligation)
                by_pk[compliance.organisation.pk] = compliance.organisation
    if not due_soon:
        return 0
    leaders = defaultdict(list)
    for post in (
        Post.objects.current()
        .filter(role__in=(Post.Role.SECRETARY, Post.Role.GROUP_LEADER),
                organisation_id__in=by_pk, person__user__isnull=False,
                person__is_active=True)
        .select_related("person__user")
    ):
        leaders[post.organisation_id].append(post.person.user)
    created = 0
    for (org_pk, due), missing in sorted(due_soon.items()):
        organisation = by_pk[org_pk]
        lines = "\n".join(
            _("- %(kind)s: %(held)d of %(required)d held (%(period)s)")
            % {"kind": o.kind_label, "held": o.held, "required": o.required,
               "period": o.period.label}
            for o in missing
        )
        for user in leaders.get(org_pk, ()):
            created += notify(
                recipient=user,
                reason=COMPLIANCE,
                period_key=f"{org_pk}:{due.isoformat()}",
                title=_("%(org)s: meetings due by %(date)s")
                % {"org": organisation.name, "date": date_format(due)},
                body=_("Still to hold before %(date)s:\n%(lines)s")
                % {"date": date_format(due), "lines": lines},
                url=reverse("meetings:meeting_list", args=[org_pk]),
            )
    return created
