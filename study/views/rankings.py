"""Credits and rankings, and the panels other apps' pages load by htmx."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from branches.models import Organisation
from members.access import get_organisation_or_404, get_person_or_404, scope_for
from members.models import Person
from supplychain_party.exports import ledger_response

from .. import selectors
from ..exports import RANK_COLUMNS, TOP_COLUMNS
from ..models import CreditEntry, ReadRecord

TOP = 10


@login_required
def my_credits(request: HttpRequest) -> HttpResponse:
    """The member's own credit ledger (nobody else's) with this month's and year's totals."""
    scope = scope_for(request.user)
    person = scope.person
    today = timezone.localdate()
    context = {"person": person, "scope": scope}
    if person is not None:
        entries = CreditEntry.objects.filter(person=person).select_related("rule", "material")
        context.update(
            page=Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            month_credits=selectors.credits_between(person, selectors.month_of(today)),
            year_credits=selectors.credits_between(person, selectors.year_of(today)),
        )
    return render(request, "study/my_credits.html", context)


def _ranking_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation asked for (in scope, or the member's own branch), else the
    widest the user leads, else their branch."""
    scope = scope_for(request.user)
    person = scope.person
    wanted = request.GET.get("org", "")
    if wanted.isdigit():
        pk = int(wanted)
        if person is not None and person.branch_id == pk:
            return person.branch
        return get_organisation_or_404(request, pk)
    if scope.home_organisation is not None:
        return scope.home_organisation
    if scope.sees_all:
        return Organisation.objects.get_root_nodes().first()
    return person.branch if person is not None else None


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Monthly or yearly credit ranking: a branch's members by name (ties share a rank),
    or for a general branch or the committee the top members and each branch's average.
    The user's own position is shown when they belong to the subtree."""
    scope = scope_for(request.user)
    organisation = _ranking_organisation(request)
    today = timezone.localdate()
    kind = "year" if request.GET.get("period") == "year" else "month"
    period = selectors.parse_period(kind, request.GET.get("at", ""), today)
    context = {
        "organisation": organisation,
        "scope": scope,
        "period": period,
        "kind": kind,
        "me_pk": scope.person.pk if scope.person else None,
    }
    if organisation is not None:
        person = scope.person
        if organisation.is_branch:
            context["page"] = Paginator(
                selectors.ranked_people(organisation, period), settings.PAGE_SIZE
            ).get_page(request.GET.get("page"))
            context["columns"] = RANK_COLUMNS
        else:
            context["top"] = list(selectors.ranked_people(organisation, period)[:TOP])
            context["columns"] = TOP_COLUMNS
            branches = list(selectors.branch_averages(organisation, period))
            for branch in branches:
                branch.average = (
                    (branch.points / branch.member_count).quantize(Decimal("0.1"))
                    if branch.member_count
                    else None
                )
            context["branches"] = branches
        if (
            person is not None
            and person.branch is not None
            and person.branch.path.startswith(organisation.path)
            and person.is_party_member
        ):
            context["mine"] = selectors.position_of(person, organisation, period)
        context["choices"] = _ranking_choices(scope, person)
    return render(request, "study/ranking.html", context)


@login_required
def ranking_export(request: HttpRequest) -> HttpResponse:
    """The ranking as Excel: the page's organisation and period; for a general branch or
    the committee every member of the subtree, not only the top ones."""
    organisation = _ranking_organisation(request)
    if organisation is None:
        raise Http404
    kind = "year" if request.GET.get("period") == "year" else "month"
    period = selectors.parse_period(kind, request.GET.get("at", ""), timezone.localdate())
    return ledger_response(
        selectors.ranked_people(organisation, period),
        RANK_COLUMNS if organisation.is_branch else TOP_COLUMNS,
        filename=f"{organisation.name}{period.key}学习积分排名",
    )


def _ranking_choices(scope, person):
    """Organisations the user may rank: those they lead and, for a member, their branch."""
    organisations = list(
        scope.organisations().active().exclude(kind=Organisation.Kind.GROUP).order_by("path")[:50]
    )
    if person is not None and person.branch is not None and person.branch not in organisations:
        organisations.append(person.branch)
    return organisations


# --- Panels ------------------------------------------------------------------------


@login_required
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's credits this month and how much they have still to read."""
    person = get_person_or_404(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "study/person_panel.html",
        {
            "person": person,
            "month_credits": selectors.credits_between(person, selectors.month_of(today)),
            "unread_count": selectors.unread_materials(person).count() if person.branch_id else 0,
            "is_self": scope_for(request.user).person == person,
        },
    )


@login_required
def organisation_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's current assignments and how many of its members read each."""
    organisation = get_organisation_or_404(request, pk)
    in_subtree = Q(branch__path__startswith=organisation.path)
    # Within the subtree, those under the organisation the material was assigned to.
    under = Q(branch__path__startswith=OuterRef("organisation__path"))
    people = Person.objects.active().party_members().filter(in_subtree)
    expected = (
        people.filter(under)
        .order_by()
        .annotate(k=Value(1))
        .values("k")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        people.filter(under)
        .filter(
            pk__in=ReadRecord.objects.filter(material=OuterRef(OuterRef("material"))).values(
                "person"
            )
        )
        .order_by()
        .annotate(k=Value(1))
        .values("k")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assignments = list(
        selectors.current_assignments(organisation, timezone.localdate()).annotate(
            expected=Coalesce(Subquery(expected), 0), done=Coalesce(Subquery(done), 0)
        )[:8]
    )
    return render(
        request,
        "study/organisation_panel.html",
        {"organisation": organisation, "assignments": assignments},
    )


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    """The first of each branch this month, for the committee's or general branch's
    overview."""
    scope = scope_for(request.user)
    organisation = scope.home_organisation
    if organisation is None and scope.sees_all:
        organisation = Organisation.objects.get_root_nodes().first()
    if organisation is None:
        raise Http404
    period = selectors.month_of(timezone.localdate())
    return render(
        request,
        "study/overview_panel.html",
        {
            "organisation": organisation,
            "period": period,
            "best": list(selectors.best_per_branch(organisation, period)),
        },
    )
