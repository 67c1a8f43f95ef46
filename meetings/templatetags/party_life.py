"""Party-life panels for pages other apps own (branch page, overview, member home).

Each panel runs a fixed number of queries whatever the size of the tree, so the
pages that include them keep their pinned query counts.
"""

from django import template
from django.utils import timezone

from .. import selectors, summary
from ..models import Attendance

register = template.Library()

ROLLUP_ROWS = 10


@register.inclusion_tag("meetings/obligations_panel.html")
def obligations_panel(organisation) -> dict:
    """This month's and quarter's (and the year's) obligations of an organisation,
    live, and the units below it worst first, from the summary. Nine queries."""
    today = timezone.localdate()
    own = selectors.obligations_of(organisation, on=today)
    units = selectors.subtree(organisation).exclude(pk=organisation.pk)
    summary.ensure(units, month=today.replace(day=1))
    below = summary.rows_for(units, month=today.replace(day=1))
    return {
        "organisation": organisation,
        "own": own,
        "below": summary.compliance_of(below[:ROLLUP_ROWS]),
        "today": today,
    }


@register.inclusion_tag("meetings/rollup_panel.html", takes_context=True)
def rollup_panel(context) -> dict:
    """The roll-up over everything the user leads, worst first, from the summary.
    Five queries."""
    scope = context["scope"]
    month = timezone.localdate().replace(day=1)
    summary.ensure(scope.organisations(), month=month)
    rows = summary.rows_for(scope.organisations(), month=month)
    return {
        "results": summary.compliance_of(rows[:ROLLUP_ROWS]),
        "more": max(rows.count() - ROLLUP_ROWS, 0),
    }


@register.inclusion_tag("meetings/my_panel.html")
def my_party_life_panel(person) -> dict:
    """A member's latest attendance and the make-up study still open. Two queries."""
    return {
        "recent": list(selectors.my_attendance(person)[:5]),
        "pending": Attendance.objects.filter(person=person).makeup_pending().count(),
    }
