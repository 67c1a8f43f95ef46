"""Two-way mentoring: the pairs of a branch (or subtree), created and closed here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, scope_for
from members.models import Person
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import MENTORING_COLUMNS
from ..forms import MentorPairCloseForm, MentorPairForm
from ..models import MentorPair


def _pair_form(organisation, data=None) -> MentorPairForm:
    people = Person.objects.active().filter(branch__path__startswith=organisation.path)
    return MentorPairForm(
        data,
        people=people.order_by("name"),
        prefix="pair",
        initial={"started_on": timezone.localdate()},
    )


def _pairs(request: HttpRequest, organisation):
    """The pairs the list shows, with its name search: the page and its export."""
    pairs = selectors.mentor_pairs(organisation)
    query = request.GET.get("q", "").strip()
    if query:
        pairs = pairs.filter(mentor__name__contains=query) | pairs.filter(
            mentee__name__contains=query
        )
    return pairs, query


@login_required
def mentoring_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The two-way mentoring list as Excel: its columns and search."""
    organisation = get_organisation_or_404(request, org_pk)
    pairs, _query = _pairs(request, organisation)
    return ledger_response(pairs, MENTORING_COLUMNS, filename=f"{organisation.name}双向双带台账")


@login_required
def mentoring_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The mentor pairs: mentor, mentee, kind, goals, dates, outcome; active first."""
    organisation = get_organisation_or_404(request, org_pk)
    form = _pair_form(organisation, request.POST or None) if organisation.is_branch else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mentor_pair_create(
                    branch=organisation,
                    kind=data["kind"],
                    mentor=data["mentor"],
                    mentee=data["mentee"],
                    goals=data["goals"],
                    started_on=data["started_on"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The mentor pair was created."))
                return redirect("development:mentoring", org_pk=organisation.pk)
        status = 200
    pairs, query = _pairs(request, organisation)
    page = Paginator(pairs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/mentoring.html",
        {
            "organisation": organisation,
            "page": page,
            "form": form,
            "q": query,
            "columns": MENTORING_COLUMNS,
            "close_form": MentorPairCloseForm(
                prefix="close", initial={"ended_on": timezone.localdate()}
            ),
        },
        status=status,
    )


@login_required
@require_POST
def mentor_pair_close(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    try:
        pair = scope.within(MentorPair.objects.select_related("branch"), "branch__path").get(pk=pk)
    except MentorPair.DoesNotExist:
        raise Http404 from None
    form = MentorPairCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.mentor_pair_close(pair=pair, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The mentor pair was closed."))
    else:
        messages.error(request, _("Give the end date and the outcome."))
    return redirect("development:mentoring", org_pk=pair.branch_id)
