"""Party-life panels for pages other apps own (branch page, overview, member home).

Each panel runs a fixed number of queries whatever the size of the tree, so the
pages that include them keep their pinned query counts. The obligations come from the
maintained summary (`meetings.summary`), never counted live: a panel costs the same
on a branch's page and on the provincial committee's.
"""

from django import template
from django.utils import timezone

from .. import selectors, summary
from ..models import Attendance

register = template.Library()

ROLLUP_ROWS = 10


@register.inclusion_tag("meetings/obligations_panel.html")
def obligations_panel(organisation) -> dict:
    """This month's and quarter's (and the year's) obligations of an organisation and
    the units below it worst first, from the summary (refreshed whenever one of their
    meetings is submitted, and hourly). Five queries."""
    today = timezone.localdate()
    month = today.replace(day=1)
    units = selectors.subtree(organisation)
    summary.ensure(units, month=month)
    own = summary.row_of(organisation, month=month)
    below = list(summary.rows_for(units.exclude(pk=organisation.pk), month=month)[:ROLLUP_ROWS])
    results = summary.compliance_of([own, *below] if own else below)
    # No row: no rule applies to the organisation itself (or it is closed).
    own_compliance = results.pop(0) if own else selectors.OrganisationCompliance(organisation)
    return {
        "organisation": organisation,
        "own": own_compliance,
        "below": results,
        "today": today,
    }


@register.inclusion_tag("meetings/rollup_panel.html", takes_context=True)
def rollup_panel(context) -> dict:
    """The roll-up over everything the user leads, worst first, from the summary, with
    a link to the whole of it when there is more. Four queries."""
    scope = context["scope"]
    month = timezone.localdate().replace(day=1)
    summary.ensure(scope.organisations(), month=month)
    # One row more than shown tells whether there is more, without counting them all.
    rows = list(summary.rows_for(scope.organisations(), month=month)[: ROLLUP_ROWS + 1])
    return {
        "results": summary.compliance_of(rows[:ROLLUP_ROWS]),
        "more": len(rows) > ROLLUP_ROWS,
        "organisation": scope.home_organisation,
        "today": timezone.localdate(),
    }


@register.simple_tag(takes_context=True)
def obligations_fragment(context, template_name: str, obligations) -> str:
    """A template fragment about a list of obligations (its table rows, the badges of
    what is missing), given `obligations` and `today`.

    A roll-up lists many organisations owing the same things (the worst first all
    miss the same meetings of the same periods), so each distinct list is rendered
    once per page: the fragment depends only on the rules, the periods, what was held
    and today, never on whose obligations they are.
    """
    today = context.get("today")
    key = (template_name, today, tuple((o.rule.pk, o.period.key, o.held) for o in obligations))
    rendered = context.render_context.setdefault("meetings.obligations_fragment", {})
    if key not in rendered:
        fragment = context.template.engine.get_template(template_name)
        rendered[key] = fragment.render(context.new({"obligations": obligations, "today": today}))
    return rendered[key]


@register.inclusion_tag("meetings/my_panel.html")
def my_party_life_panel(person) -> dict:
    """A member's latest attendance and the make-up study still open. Two queries."""
    return {
        "recent": list(selectors.my_attendance(person)[:5]),
        "pending": Attendance.objects.filter(person=person).makeup_pending().count(),
    }
