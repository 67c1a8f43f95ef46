"""Democratic appraisal pages (民主评议党员): the member's own page (self-assessment and
mutual-appraisal votes for the others of their branch), the branch's page for its
secretary (entries, vote tallies, the committee's proposal, the branch meeting's
decision, the one-third warning) and the tally over a committee's or general branch's
subtree. Thin: access through `members.access`, writes through `services`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response

from . import selectors, services
from .exports import APPRAISAL_COLUMNS, TALLY_COLUMNS
from .models import Appraisal, AppraisalEntry, AppraisalGrade, AppraisalVote, Scheme


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The member's page ------------------------------------------------------------------


def _my_entry_or_404(request: HttpRequest, year: int) -> AppraisalEntry:
    """The user's own entry in their branch's appraisal of the year."""
    person = scope_for(request.user).person
    if person is None or person.branch_id is None:
        raise Http404
    return get_object_or_404(
        AppraisalEntry.objects.select_related("appraisal__scheme", "appraisal__branch",
                                              "person"),
        appraisal__scheme__year=year, appraisal__branch_id=person.branch_id, person=person)


@login_required
def my_appraisal(request: HttpRequest, year: int | None = None) -> HttpResponse:
    year = year or timezone.localdate().year
    entry = _my_entry_or_404(request, year)
    appraisal = entry.appraisal
    if request.method == "POST":
        try:
            services.appraisal_self_assessment_save(
                entry=entry, text=request.POST.get("self_assessment", ""),
                version=request.POST.get("version", ""))
            messages.success(request, _("Self-assessment saved."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("assessments:my_appraisal", year=year)
    mine = dict(AppraisalVote.objects.filter(entry__appraisal=appraisal, voter=entry.person)
                .values_list("entry_id", "grade"))
    colleagues = list(appraisal.entries.exclude(pk=entry.pk).select_related("person")
                      .order_by("person__name", "pk"))
    for colleague in colleagues:
        colleague.my_vote = mine.get(colleague.pk, "")
    return render(request, "assessments/my_appraisal.html", {
        "appraisal": appraisal, "entry": entry, "colleagues": colleagues,
        "is_open": appraisal.state == Appraisal.State.OPEN,
        "grades": AppraisalGrade.choices, "year": year,
        "version": services.self_assessment_version(entry),
    })


@login_required
@require_POST
def my_appraisal_vote(request: HttpRequest, year: int) -> HttpResponse:
    entry = _my_entry_or_404(request, year)
    colleague = get_object_or_404(AppraisalEntry.objects.select_related("person"),
                                  appraisal=entry.appraisal, pk=request.POST.get("entry") or 0)
    try:
        services.appraisal_vote_cast(entry=colleague, voter=entry.person,
                                     grade=request.POST.get("grade", ""))
        messages.success(request, _("Your vote for %(person)s is recorded.")
                         % {"person": colleague.person.name})
    except ValidationError as error:
        _errors(request, error)
    return redirect("assessments:my_appraisal", year=year)


# --- The branch's page ------------------------------------------------------------------


def _branch_and_scheme_or_404(request: HttpRequest, org_pk: int, year: int):
    branch = get_organisation_or_404(request, org_pk)
    scheme = Scheme.objects.filter(year=year).first()
    if not branch.is_branch or scheme is None:
        raise Http404
    return branch, scheme


def _appraisal_or_404(request: HttpRequest, org_pk: int, year: int) -> Appraisal:
    branch, scheme = _branch_and_scheme_or_404(request, org_pk, year)
    return get_object_or_404(Appraisal.objects.select_related("scheme", "branch"),
                             scheme=scheme, branch=branch)


@login_required
def branch_appraisal(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    branch, scheme = _branch_and_scheme_or_404(request, org_pk, year)
    appraisal = (Appraisal.objects.select_related("scheme", "branch")
                 .filter(scheme=scheme, branch=branch).first())
    context = {"organisation": branch, "scheme": scheme, "appraisal": appraisal, "year": year,
               "grades": AppraisalGrade.choices}
    if appraisal is not None:
        entries = selectors.appraisal_entries(appraisal)
        context.update({
            "entries": entries,
            "version": services.appraisal_grades_version(appraisal, entries),
            "columns": APPRAISAL_COLUMNS,
            "tally": services.appraisal_tally(appraisal=appraisal),
            "warnings": services.appraisal_warnings(appraisal=appraisal),
            "is_open": appraisal.state == Appraisal.State.OPEN,
        })
    return render(request, "assessments/branch_appraisal.html", context)


@login_required
def branch_appraisal_export(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    """The branch's appraisal table as Excel: the page's columns, every member."""
    appraisal = _appraisal_or_404(request, org_pk, year)
    return ledger_response(
        selectors.appraisal_entries(appraisal),
        APPRAISAL_COLUMNS,
        filename=f"{appraisal.branch.name}{year}年民主评议党员",
    )


@login_required
@require_POST
def branch_appraisal_open(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    branch, scheme = _branch_and_scheme_or_404(request, org_pk, year)
    try:
        services.appraisal_open(scheme=scheme, branch=branch)
        messages.success(request, _("The democratic appraisal is open."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("assessments:branch_appraisal", org_pk=org_pk, year=year)


@login_required
@require_POST
def branch_appraisal_grades(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    """The committee's proposed grades and the branch meeting's decided ones."""
    appraisal = _appraisal_or_404(request, org_pk, year)
    grades: dict[int, dict[str, str]] = {}
    for key, value in request.POST.items():
        column, _sep, pk = key.partition("-")
        if column in ("proposed", "decided") and pk.isdecimal():
            grades.setdefault(int(pk), {})[column] = value
    try:
        services.appraisal_grades_save(appraisal=appraisal, grades=grades,
                                       version=request.POST.get("version", ""))
        messages.success(request, _("Grades saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("assessments:branch_appraisal", org_pk=org_pk, year=year)


@login_required
@require_POST
def branch_appraisal_decide(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    appraisal = _appraisal_or_404(request, org_pk, year)
    try:
        decided_on = datetime.date.fromisoformat(request.POST.get("decided_on", ""))
    except ValueError:
        messages.error(request, _("Enter the date of the branch meeting."))
        return redirect("assessments:branch_appraisal", org_pk=org_pk, year=year)
    try:
        for warning in services.appraisal_decide(appraisal=appraisal, decided_on=decided_on):
            messages.warning(request, warning)
        messages.success(request, _("The branch meeting's decision is recorded."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("assessments:branch_appraisal", org_pk=org_pk, year=year)


# --- The tally over a subtree ---------------------------------------------------------------


@login_required
def appraisal_tally(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Grades per branch over the user's subtree (the committee, a general branch)."""
    year = year or timezone.localdate().year
    rows, totals = _tally(request, year)
    return render(request, "assessments/appraisal_tally.html", {
        "year": year, "rows": rows, "grades": AppraisalGrade.choices,
        "totals": totals, "members": sum(row["members"] for row in rows),
        "columns": TALLY_COLUMNS,
    })


@login_required
def appraisal_tally_export(request: HttpRequest, year: int) -> HttpResponse:
    """The tally as Excel: the page's columns, a row per branch, the decided totals."""
    rows, totals = _tally(request, year)
    footer = [[_("Decided, all branches"), "", sum(row["members"] for row in rows), *totals]]
    return ledger_response(rows, TALLY_COLUMNS, filename=f"{year}年民主评议党员汇总",
                           footer=footer if rows else ())


def _tally(request: HttpRequest, year: int) -> tuple[list[dict], list[int]]:
    """Grades per branch over the user's subtree, and the decided grades in all: the page
    and its export. Leaders only (404 otherwise)."""
    scope = scope_for(request.user)
    if not scope.leads_anything:
        raise Http404
    appraisals = selectors.appraisal_tallies(
        scope.within(Appraisal.objects.filter(scheme__year=year), "branch__path")
    ).order_by("branch__path")
    rows = [selectors.tally_row(appraisal) for appraisal in appraisals]
    totals = selectors.committee_tally(scope.within(
        AppraisalEntry.objects.filter(appraisal__scheme__year=year), "appraisal__branch__path"))
    return rows, [totals.get(value, 0) for value in AppraisalGrade.values]
