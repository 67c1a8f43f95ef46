"""Pages for pledges, member cards and designations. Thin: access through
`members.access`, reads through `selectors`, writes through `services`."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, get_person_or_404, scope_for
from members.models import Person
from supplychain_party.exports import ledger_response, xlsx_response

from . import selectors, services
from .exports import PLEDGE_COLUMNS, designations_workbook
from .forms import DesignationForm, PledgeForm, ReturnForm
from .models import Designation, Pledge


def _year(request: HttpRequest) -> int:
    """The year asked for (in the query, or the form on a POST); this year otherwise."""
    value = (request.POST if request.method == "POST" else request.GET).get("year", "")
    return (
        int(value)
        if value.isdigit() and 2000 <= int(value) <= 2100
        else (timezone.localdate().year)
    )


def get_pledge_or_404(request: HttpRequest, pk: int) -> Pledge:
    pledges = scope_for(request.user).within(
        Pledge.objects.select_related("person", "branch"), "branch__path"
    )
    try:
        return pledges.get(pk=pk)
    except Pledge.DoesNotExist:
        raise Http404 from None


def get_designation_or_404(request: HttpRequest, pk: int) -> Designation:
    designations = scope_for(request.user).within(
        Designation.objects.select_related("organisation", "node"), "organisation__path"
    )
    try:
        return designations.get(pk=pk)
    except Designation.DoesNotExist:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The landing page: the member's own pledge and card; for a leader, the links
    to the pledges and designations of the organisation they lead."""
    scope = scope_for(request.user)
    year = timezone.localdate().year
    pledge = None
    if scope.person is not None:
        pledge = Pledge.objects.filter(person=scope.person, year=year).first()
    organisation = scope.home_organisation
    if organisation is None and scope.sees_all:
        organisation = scope.organisations().filter(depth=1).first()
    tally = selectors.pledge_tally(organisation, year) if organisation else None
    return render(
        request,
        "vanguard/index.html",
        {
            "person": scope.person,
            "pledge": pledge,
            "year": year,
            "organisation": organisation,
            "tally": tally,
        },
    )


@login_required
def pledge_mine(request: HttpRequest) -> HttpResponse:
    """The member writes their own pledge for the year, saves a draft or sends it."""
    person = scope_for(request.user).person
    if person is None:
        return render(request, "members/unlinked.html")
    year = _year(request)
    pledge = Pledge.objects.filter(person=person, year=year).first()
    form = PledgeForm(request.POST or None, initial={"text": pledge.text if pledge else ""},
                      version=services.pledge_version(pledge))
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_save(
                person=person,
                year=year,
                text=form.cleaned_data["text"],
                submit="submit" in request.POST,
                by=request.user,
                version=form.version,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if pledge.status == Pledge.Status.SUBMITTED:
                messages.success(request, _("Your pledge was sent to the branch secretary."))
            else:
                messages.success(request, _("Your draft was saved."))
            return redirect(f"{reverse('vanguard:pledge_mine')}?year={year}")
    return render(
        request,
        "vanguard/pledge_form.html",
        {"person": person, "pledge": pledge, "form": form, "year": year},
    )


@login_required
def card(request: HttpRequest, pk: int) -> HttpResponse:
    """The member card (亮牌): identity, posts, job and the approved pledge; printable,
    with a QR code that opens this page."""
    person = get_person_or_404(request, pk)
    viewer = scope_for(request.user).person
    url = request.build_absolute_uri(reverse("vanguard:card", args=[person.pk]))
    return render(
        request,
        "vanguard/card.html",
        {
            **selectors.card_of(person, viewer=viewer, year=_year(request)),
            "qr": segno.make(url, error="m").svg_inline(scale=3),
            "is_own": viewer is not None and viewer.pk == person.pk,
        },
    )


def _pledges(request: HttpRequest, organisation):
    """The pledge list's rows with its filters: the page and its export."""
    year = _year(request)
    pledges = selectors.pledges_for_review(organisation, year)
    status = request.GET.get("status", "")
    if status in Pledge.Status.values:
        pledges = pledges.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        pledges = pledges.filter(person__name__icontains=q)
    return pledges, year, status, q


@login_required
def pledge_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The subtree's pledges of a year, those awaiting approval first."""
    organisation = get_organisation_or_404(request, org_pk)
    pledges, year, status, q = _pledges(request, organisation)
    page = Paginator(pledges, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vanguard/pledge_list.html",
        {
            "organisation": organisation,
            "page": page,
            "year": year,
            "status": status,
            "q": q,
            "tally": selectors.pledge_tally(organisation, year),
            "statuses": [c for c in Pledge.Status.choices if c[0] != Pledge.Status.DRAFT],
            "return_form": ReturnForm(),
            "columns": PLEDGE_COLUMNS,
        },
    )


@login_required
def pledges_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The pledge list as Excel: its columns and filters (year, status, name)."""
    organisation = get_organisation_or_404(request, org_pk)
    pledges, year, _status, _q = _pledges(request, organisation)
    return ledger_response(pledges, PLEDGE_COLUMNS, filename=f"{organisation.name}{year}年党员承诺")


def _review(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    pledge = get_pledge_or_404(request, pk)
    try:
        if approve:
            services.pledge_approve(pledge=pledge, by=request.user)
            messages.success(
                request, _("The pledge of %(name)s was approved.") % {"name": pledge.person.name}
            )
        else:
            services.pledge_return(
                pledge=pledge, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("The pledge of %(name)s was returned.") % {"name": pledge.person.name}
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(
        f"{reverse('vanguard:pledge_list', args=[pledge.branch_id])}?year={pledge.year}"
    )


@login_required
@require_POST
def pledge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, approve=True)


@login_required
@require_POST
def pledge_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, approve=False)


@login_required
def designation_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The subtree's model posts and safety zones, searchable."""
    organisation = get_organisation_or_404(request, org_pk)
    designations = selectors.search_designations(
        selectors.designations_for_list(organisation), request.GET
    )
    page = Paginator(designations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vanguard/designation_list.html",
        {
            "organisation": organisation,
            "page": page,
            "q": request.GET.get("q", ""),
            "kind": request.GET.get("kind", ""),
            "status": request.GET.get("status", ""),
            "kinds": Designation.Kind.choices,
            "statuses": Designation.Status.choices,
        },
    )


@login_required
def designations_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The designations ledger as an Excel workbook, with the page's filters."""
    organisation = get_organisation_or_404(request, org_pk)
    designations = selectors.search_designations(
        selectors.designations_for_list(organisation), request.GET
    )
    return xlsx_response(
        designations_workbook(organisation=organisation, designations=designations),
        f"{organisation.name}党员示范岗和安全责任区台账.xlsx",
    )


def _people_for(organisation) -> object:
    return (
        Person.objects.active()
        .filter(branch__path__startswith=organisation.path)
        .order_by("name", "pk")
    )


def _designation_form_page(request: HttpRequest, *, organisation, designation=None):
    initial = {"starts_on": timezone.localdate()}
    if designation is not None:
        initial = {
            "kind": designation.kind,
            "name": designation.name,
            "responsible": list(designation.responsible.values_list("pk", flat=True)),
            "node": designation.node_id,
            "location": designation.location,
            "starts_on": designation.starts_on,
            "ends_on": designation.ends_on,
            "criteria": designation.criteria,
        }
    form = DesignationForm(
        request.POST or None, initial=initial, people=_people_for(organisation),
        version=services.designation_version(designation) if designation else None,
    )
    if request.method == "POST" and form.is_valid():
        responsible = list(form.cleaned_data["responsible"])
        try:
            if designation is None:
                designation = services.designation_create(
                    organisation=organisation,
                    data=form.designation_data(),
                    responsible=responsible,
                    by=request.user,
                )
            else:
                services.designation_update(
                    designation=designation,
                    data=form.designation_data(),
                    responsible=responsible,
                    by=request.user,
                    version=form.version,
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The designation was saved."))
            return redirect("vanguard:designation_list", org_pk=designation.organisation_id)
    return render(
        request,
        "vanguard/designation_form.html",
        {"organisation": organisation, "form": form, "designation": designation},
    )


@login_required
def designation_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    return _designation_form_page(request, organisation=organisation)


@login_required
def designation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_designation_or_404(request, pk)
    return _designation_form_page(
        request, organisation=designation.organisation, designation=designation
    )


@login_required
@require_POST
def designation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_designation_or_404(request, pk)
    try:
        services.designation_revoke(
            designation=designation, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The designation was revoked."))
    return redirect("vanguard:designation_list", org_pk=designation.organisation_id)


# --- Panels for other apps' pages (loaded by htmx) -----------------------------------


@login_required
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_or_404(request, pk)
    viewer = scope_for(request.user).person
    return render(request, "vanguard/person_panel.html", selectors.card_of(person, viewer=viewer))


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    year = timezone.localdate().year
    designations = Designation.objects.active().filter(
        organisation__path__startswith=organisation.path
    )
    return render(
        request,
        "vanguard/organisation_panel.html",
        {
            "organisation": organisation,
            "year": year,
            "tally": selectors.pledge_tally(organisation, year),
            "model_posts": designations.filter(kind=Designation.Kind.MODEL_POST).count(),
            "safety_zones": designations.filter(kind=Designation.Kind.SAFETY_ZONE).count(),
        },
    )
