"""The overview pages: an organisation's dashboard for a period, its branches side by
side by segment, and one person's own figures. Access through `members.access`: the
organisation or the person 404s outside the user's scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branches.models import Organisation
from meetings.periods import Period
from members.access import get_organisation_or_404, get_person_or_404, scope_for
from supplychain_party.links import url_maker

from . import charts, people, periods, selectors


def _period(request: HttpRequest, today: datetime.date) -> Period:
    key = request.GET.get("period")
    period = periods.parse(key, today)
    if period is None:
        if key:
            messages.warning(
                request, _("There are no figures for that period; showing this month.")
            )
        period = periods.current(today)
    return period


def _period_context(period: Period, today: datetime.date) -> dict:
    return {
        "period": period,
        "previous_period": periods.previous(period),
        "next_period": periods.following(period, today),
        "period_choices": periods.choices(period.start.year, today),
        "previous_year": period.start.year - 1,
        "next_year": period.start.year + 1 if period.start.year < today.year else None,
    }


def _month_label(month: datetime.date) -> str:
    return pgettext("month on a chart axis", "%(month)d") % {"month": month.month}


def _breadcrumbs(request: HttpRequest, organisation: Organisation) -> list[Organisation]:
    """The organisations above that the user may open (the drill-down's way back up)."""
    scope = scope_for(request.user)
    return [org for org in selectors.ancestors(organisation) if scope.covers(org)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The widest organisation the user leads, or a member's own figures."""
    scope = scope_for(request.user)
    home = scope.landing_organisation()
    if home is not None:
        return redirect("overview:dashboard", org_pk=home.pk)
    if scope.person is not None:
        return redirect("overview:person", person_pk=scope.person.pk)
    raise Http404


@login_required
def dashboard(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The subtree's party life, liaison, development and assessments for a period,
    with the trend over the year and the level below for drilling down."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    period = _period(request, today)
    board = selectors.dashboard(organisation, period, today=today)
    link = url_maker("overview:dashboard")  # one reverse for the whole level below
    for row in board.children:
        if row.organisation is not None and not row.own:
            row.url = f"{link(row.organisation.pk)}?period={period.key}"
    members = []
    if organisation.kind in (Organisation.Kind.BRANCH, Organisation.Kind.GROUP):
        members = people.members(organisation, period)
    context = {
        "organisation": organisation,
        "board": board,
        "total": board.total,
        "members": members,
        "ancestors": _breadcrumbs(request, organisation),
        "charts": _dashboard_charts(board),
        **_period_context(period, today),
    }
    return render(request, "overview/dashboard.html", context)


# A chart's series: (the legend's name, the attribute of the figures it plots).
Pairs = list[tuple[str, str]]


def _dashboard_charts(board: selectors.Dashboard) -> dict:
    year = board.period.start.year
    months = [_month_label(month) for month, _figures in board.trend]
    segment_names = [row.label or _("No segment") for row in board.segments]

    def monthly(
        draw: Callable[..., charts.Chart], key: str, title: str, series: Pairs, **text: str
    ) -> charts.Chart:
        """A chart of the year's months (`title` names the year as %(year)d)."""
        return draw(
            key,
            title % {"year": year},
            months,
            [
                charts.Series(
                    name,
                    [
                        getattr(figures, attribute) if figures is not None else None
                        for _month, figures in board.trend
                    ],
                )
                for name, attribute in series
            ],
            category_header=_("Month"),
            **text,
        )

    def by_segment(key: str, title: str, series: Pairs, **text: str) -> charts.Chart:
        """Bars of the period's figures, one group per supply-chain segment."""
        return charts.bar_chart(
            key,
            title,
            segment_names,
            [
                charts.Series(name, [getattr(row.figures, attribute) for row in board.segments])
                for name, attribute in series
            ],
            category_header=_("Segment"),
            **text,
        )

    return {
        "activity": monthly(
            charts.line_chart,
            "activity",
            _("Meetings held and visits per month, %(year)d"),
            [(_("Meetings held"), "meetings_held"), (_("Visits"), "visits")],
            y_label=_("Number"),
            description=_(
                "Meetings held (submitted and quorate) and visits filed in the "
                "subtree, month by month."
            ),
        ),
        "attendance": monthly(
            charts.line_chart,
            "attendance",
            _("Attendance rate per month, %(year)d"),
            [(_("Attendance rate"), "attendance_rate")],
            unit="%",
            y_label=_("Present of expected"),
            description=_("Present of those expected at submitted meetings, month by month."),
        ),
        "problems": monthly(
            charts.bar_chart,
            "problems",
            _("Problems registered and written off per month, %(year)d"),
            [(_("Registered"), "problems_registered"), (_("Written off"), "problems_written_off")],
            y_label=_("Problems"),
            description=_(
                "Problems registered (挂号) and written off (销号) in the subtree, month by month."
            ),
        ),
        "segment_rates": by_segment(
            "segment-rates",
            _("Attendance rate by supply-chain segment"),
            [(_("Attendance rate"), "attendance_rate")],
            unit="%",
            y_label=_("Present of expected"),
            description=_("The period's attendance rate of the branches of each segment."),
        ),
        "segment_work": by_segment(
            "segment-work",
            _("Meetings, visits and problems by supply-chain segment"),
            [
                (_("Meetings held"), "meetings_held"),
                (_("Visits"), "visits"),
                (_("Problems registered"), "problems_registered"),
            ],
            y_label=_("Number"),
            description=_(
                "The period's meetings held, visits filed and problems registered "
                "by the branches of each segment."
            ),
        ),
    }


@login_required
def segments(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The subtree's branches side by side by supply-chain segment: how party building
    and the business chain work together."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    period = _period(request, today)
    data = selectors.segments(organisation, period, today=today)
    columns = data["columns"]
    names = [column.label or _("No segment") for column in columns]
    chart = charts.bar_chart(
        "segments",
        _("Compliance and attendance by supply-chain segment"),
        names,
        [
            charts.Series(_("Obligations met"), [c.figures.compliance_rate for c in columns]),
            charts.Series(_("Attendance rate"), [c.figures.attendance_rate for c in columns]),
        ],
        unit="%",
        y_label=_("Percent"),
        category_header=_("Segment"),
        description=_(
            "For the branches of each segment: the share of party-life "
            "obligations met and of expected attendees present."
        ),
    )
    context = {
        "organisation": organisation,
        "columns": columns,
        "as_of": data["as_of"],
        "chart": chart,
        "ancestors": _breadcrumbs(request, organisation),
        "per_segment": selectors.BRANCHES_PER_SEGMENT,
        **_period_context(period, today),
    }
    return render(request, "overview/segments.html", context)


@login_required
def person(request: HttpRequest, person_pk: int) -> HttpResponse:
    """One person's own figures in the period: the member level of the drill-down,
    open to the person and to those above them."""
    target = get_person_or_404(request, person_pk)
    today = timezone.localdate()
    period = _period(request, today)
    figures = people.person_figures(target, period, today=today)
    scope = scope_for(request.user)
    branch = target.branch if target.branch_id and scope.covers(target.branch) else None
    chart = charts.bar_chart(
        "person",
        _("Meetings attended and visits filed per month, %(year)d") % {"year": period.start.year},
        [_month_label(month.month) for month in figures["months"]],
        [
            charts.Series(_("Attended"), [m.present for m in figures["months"]]),
            charts.Series(_("Expected"), [m.expected for m in figures["months"]]),
            charts.Series(_("Visits"), [m.visits for m in figures["months"]]),
        ],
        y_label=_("Number"),
        category_header=_("Month"),
        description=_(
            "Meetings the person attended of those they were expected at, and "
            "visits they filed, month by month."
        ),
    )
    context = {
        "person": target,
        "branch": branch,
        "ancestors": [*_breadcrumbs(request, branch), branch] if branch else [],
        "chart": chart,
        **figures,
        **_period_context(period, today),
    }
    return render(request, "overview/person.html", context)
