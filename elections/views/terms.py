"""The terms list of a subtree, an organisation's term card, and the panels."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import TERM_COLUMNS
from ..forms import TermForm
from ..models import ELECTED_KINDS, Election, Term

STATES = (
    (selectors.SOON, gettext_lazy("Ending within six months")),
    (selectors.OVERDUE, gettext_lazy("Overdue")),
    (selectors.NO_TERM, gettext_lazy("No term recorded")),
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Leaders land on the terms of what they lead; others see an empty state."""
    scope = scope_for(request.user)
    home = scope.landing_organisation()
    if home is not None:
        return redirect("elections:terms", org_pk=home.pk)
    return render(request, "elections/index.html", {"scope": scope})


def _terms(request: HttpRequest, organisation: Organisation, today, rules):
    """The elected organisations of the subtree with the list's filters: page and export."""
    orgs = selectors.organisations_with_terms(
        Organisation.objects.filter(path__startswith=organisation.path)
    )
    search = request.GET.get("q", "").strip()
    if search:
        orgs = orgs.filter(name__icontains=search)
    state = request.GET.get("state", "")
    months = max(rule.first_reminder_months for rule in rules.values())
    return selectors.filter_by_state(orgs, state, today, months).order_by("path"), search, state


@login_required
def terms(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The committees' terms in the subtree: end date, months left, a badge when the term
    ends within six months or is overdue."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    rules = selectors.rules_by_kind()
    orgs, search, state = _terms(request, organisation, today, rules)
    page = Paginator(orgs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.term_rows(page.object_list, today, rules)
    return render(
        request,
        "elections/terms.html",
        {
            "organisation": organisation,
            "page": page,
            "states": STATES,
            "filters": {"state": state, "search": search},
            "columns": TERM_COLUMNS,
        },
    )


@login_required
def terms_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The terms list as Excel: the subtree, the page's columns and filters."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    rules = selectors.rules_by_kind()
    orgs, _search, _state = _terms(request, organisation, today, rules)
    return ledger_response(
        selectors.term_rows(orgs, today, rules),
        TERM_COLUMNS,
        filename=f"{organisation.name}换届台账",
    )


@login_required
def organisation(request: HttpRequest, org_pk: int) -> HttpResponse:
    """One organisation's term card: the open term, past terms and elections."""
    org = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    terms_ = list(Term.objects.filter(organisation=org).order_by("-started_on"))
    current = next((t for t in terms_ if t.is_open), None)
    rules = selectors.rules_by_kind()
    state = None
    if org.kind in ELECTED_KINDS:
        state = selectors.term_state(current.ends_on if current else None, rules[org.kind], today)
    elections = Election.objects.filter(organisation=org).order_by("-planned_on", "-pk")
    return render(
        request,
        "elections/organisation.html",
        {
            "organisation": org,
            "current": current,
            "terms": terms_,
            "state": state,
            "today": today,
            "elections": elections,
            "elected_kind": org.kind in ELECTED_KINDS,
            "rule": rules.get(org.kind),
            "term_form": TermForm(initial={"started_on": today}) if current is None else None,
        },
    )


@login_required
@require_POST
def term_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = get_organisation_or_404(request, org_pk)
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_open(
                organisation=org,
                started_on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The term was recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("elections:organisation", org_pk=org.pk)


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The organisation page's card: when the term ends (loaded by htmx)."""
    org = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    current = Term.objects.open().filter(organisation=org).first()
    state = (
        selectors.term_state(
            current.ends_on if current else None, selectors.rules_by_kind()[org.kind], today
        )
        if org.kind in ELECTED_KINDS
        else None
    )
    running = (
        Election.objects.filter(organisation=org).exclude(status=Election.Status.EFFECTIVE).first()
    )
    return render(
        request,
        "elections/organisation_panel.html",
        {
            "organisation": org,
            "current": current,
            "state": state,
            "running": running,
            "months_left": selectors.months_between(today, current.ends_on) if current else None,
        },
    )


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    """The overview's list of terms ending within six months, and overdue ones."""
    scope = scope_for(request.user)
    if not scope.leads_anything:
        return HttpResponse("")
    today = timezone.localdate()
    soon, overdue = selectors.ending_and_overdue(
        scope.within(Term.objects.all(), "organisation__path"), today
    )
    home = scope.landing_organisation()
    return render(
        request,
        "elections/overview_panel.html",
        {"soon": soon, "overdue": overdue, "home": home, "today": today},
    )
