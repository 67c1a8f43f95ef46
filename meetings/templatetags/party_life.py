"""Party-life panels for pages other apps own (branch page, overview, member home).

Each panel runs a fixed number of queries whatever the size of the tree, so the
pages that include them keep their pinned query counts.
"""

from django import template
from django.utils import timezone

from .. import selectors
from ..models import Attendance
from ..periods import MONTH, QUARTER, YEAR

register = template.Library()

ROLLUP_ROWS = 10


@register.inclusion_tag("meetings/obligations_panel.html")
def obligations_panel(organisation) -> dict:
    """This month's and quarter's (and the year's) obligations of an organisation,
    and the units below it, worst first. Three queries."""
    today = timezone.localdate()
    results = selectors.obligations(
        selectors.subtree(organisation).filter(is_active=True).order_by("path"),
        on=today,
        periods=(MONTH, QUARTER, YEAR),
    )
    own = next((r for r in results if r.organisation.pk == organisation.pk), None)
    below = sorted(
        (r for r in results if r.organisation.pk != organisation.pk and r.obligations),
        key=lambda r: (-r.missing, r.organisation.path),
    )
    return {"organisation": organisation, "own": own, "below": below[:ROLLUP_ROWS], "today": today}


@register.inclusion_tag("meetings/rollup_panel.html", takes_context=True)
def rollup_panel(context) -> dict:
    """The roll-up over everything the user leads, worst first. Three queries."""
    scope = context["scope"]
    results = selectors.rollup(scope.organisations(), on=timezone.localdate())
    return {"results": results[:ROLLUP_ROWS], "more": max(len(results) - ROLLUP_ROWS, 0)}


@register.inclusion_tag("meetings/my_panel.html")
def my_party_life_panel(person) -> dict:
    """A member's latest attendance and the make-up study still open. Two queries."""
    return {
        "recent": list(selectors.my_attendance(person)[:5]),
        "pending": Attendance.objects.filter(person=person).makeup_pending().count(),
    }
