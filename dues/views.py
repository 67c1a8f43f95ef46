"""Pages for membership dues. Thin: access through `members.access`, reads through
`selectors`, writes through `services`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import Role, Scope, get_organisation_or_404, get_person_or_404, scope_for
from members.models import Person
from supplychain_party.exports import ledger_response, xlsx_response

from . import selectors, services
from .exports import ARREARS_COLUMNS, TOTALS_COLUMNS, ledger_workbook, totals_footer
from .forms import CorrectionForm, DeclarationForm, PayAllForm, PaymentForm
from .models import Payment
from .months import add_months, month_key, month_of, parse_month

STATUSES = ("owing", "arrears", "paid")


def _this_month() -> datetime.date:
    return month_of(timezone.localdate())


def _month(request: HttpRequest) -> datetime.date:
    return parse_month(request.GET.get("month"), _this_month())


def _require_lead(scope: Scope, organisation: Organisation | None) -> None:
    """Writes need the user to lead the organisation concerned (or one above it)."""
    if not scope.leads_anything or not scope.covers(organisation):
        raise PermissionDenied


def _errors_to(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The landing page for the user's role: a branch's ledger, a subtree's totals, or
    the member's own dues."""
    scope = scope_for(request.user)
    home = scope.home_organisation
    if home is not None and home.is_branch:
        return redirect("dues:ledger", org_pk=home.pk)
    if home is not None and not home.is_group:
        return redirect("dues:totals", org_pk=home.pk)
    if scope.sees_all:
        root = Organisation.objects.filter(depth=1).first()
        if root is not None:
            return redirect("dues:totals", org_pk=root.pk)
    if scope.person is not None and scope.person.is_party_member:
        return redirect("dues:mine")
    return render(request, "dues/index_empty.html", {"role": scope.role})


# --- The branch ledger ------------------------------------------------------------------


def _ledger(request: HttpRequest, organisation: Organisation):
    month = _month(request)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    search = request.GET.get("q", "").strip()
    rows = selectors.ledger_rows(
        selectors.ledger_people(Person.objects.filter(branch=organisation)), month
    )
    totals = selectors.totals(rows)
    return month, status, search, rows, totals


@login_required
def ledger(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A branch's monthly collection ledger (党费收缴台账): one row per member."""
    organisation = get_organisation_or_404(request, org_pk)
    if not organisation.is_branch:
        return redirect(f"{reverse('dues:totals', args=[org_pk])}?{request.GET.urlencode()}")
    month, status, search, rows, totals = _ledger(request, organisation)
    shown = selectors.filter_rows(rows, status=status, search=search)
    page = Paginator(shown, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "dues/ledger.html",
        {
            "organisation": organisation,
            "month": month,
            "status": status,
            "q": search,
            "page": page,
            "totals": totals,
            "can_record": scope.covers(organisation),
            "previous": month_key(add_months(month, -1)),
            "next": month_key(add_months(month, 1)),
            "is_future": month > _this_month(),
            "pay_all_form": PayAllForm(
                initial={"paid_on": timezone.localdate(), "method": Payment.Method.CASH}
            ),
        },
    )


@login_required
def ledger_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The ledger as an Excel sheet, with the page's columns and filters."""
    organisation = get_organisation_or_404(request, org_pk)
    if not organisation.is_branch:
        raise Http404
    month, status, search, rows, _totals = _ledger(request, organisation)
    shown = selectors.filter_rows(rows, status=status, search=search)
    return xlsx_response(
        ledger_workbook(organisation=organisation, month=month, rows=shown),
        f"{organisation.name}{month:%Y年%m月}党费收缴台账.xlsx",
    )


@login_required
@require_POST
def pay_all(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Record every member who still owes for the month as paid in full."""
    organisation = get_organisation_or_404(request, org_pk)
    _require_lead(scope_for(request.user), organisation)
    month = parse_month(request.POST.get("month"), _this_month())
    form = PayAllForm(request.POST)
    target = f"{reverse('dues:ledger', args=[org_pk])}?month={month_key(month)}"
    if not form.is_valid():
        messages.error(request, _("Choose how and when the dues were paid."))
        return redirect(target)
    try:
        created = services.month_pay_all(
            branch=organisation,
            month=month,
            method=form.cleaned_data["method"],
            paid_on=form.cleaned_data["paid_on"],
            by=request.user,
            token=form.cleaned_data["token"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request, _("%(n)d members were recorded as paid in full.") % {"n": created}
            )
        else:
            messages.info(request, _("Nothing to record: every member has paid this month."))
    return redirect(target)


@login_required
def payment_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Record one member's payment for a month."""
    person = get_person_or_404(request, person_pk)
    scope = scope_for(request.user)
    _require_lead(scope, person.branch)
    month = parse_month(request.GET.get("month"), _this_month())
    row = selectors.ledger_rows([person], month)[0]
    initial = {
        "month": month,
        "paid_on": timezone.localdate(),
        "amount": row.balance if row.balance > 0 else None,
        "method": Payment.Method.CASH,
    }
    form = PaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.payment_record(
                person=person,
                month=data["month"],
                amount=data["amount"],
                method=data["method"],
                paid_on=data["paid_on"],
                by=request.user,
                token=data["token"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            if created:
                messages.success(
                    request, _("The payment of %(name)s was recorded.") % {"name": person.name}
                )
            else:
                messages.info(
                    request, _("This payment was already recorded; it was not recorded twice.")
                )
            return redirect(
                f"{reverse('dues:ledger', args=[person.branch_id])}?month={month_key(entry.month)}"
            )
    return render(
        request,
        "dues/payment_form.html",
        {"form": form, "person": person, "row": row, "month": month, "organisation": person.branch},
    )


@login_required
def payment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a payment by a new entry (the original is never changed)."""
    scope = scope_for(request.user)
    entries = scope.within(
        Payment.objects.select_related("person", "branch", "recorded_by"),
        "branch__path",
        "person__branch__path",
    )
    try:
        original = entries.get(pk=pk, kind=Payment.Kind.PAYMENT)
    except Payment.DoesNotExist:
        raise Http404 from None
    _require_lead(scope, original.branch)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _entry, created = services.payment_correct(
                original=original,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            if created:
                messages.success(request, _("The correction was recorded."))
            else:
                messages.info(request, _("This correction was already recorded."))
            return redirect("dues:member", person_pk=original.person_id)
    return render(
        request,
        "dues/correction_form.html",
        {
            "form": form,
            "original": original,
            "corrections": original.corrections.select_related("recorded_by"),
        },
    )


# --- Arrears and totals -----------------------------------------------------------------


def _arrears(organisation: Organisation):
    """Members of the subtree with months owed before this month: the page and export."""
    month = _this_month()
    rows = [
        row
        for row in selectors.ledger_rows(
            selectors.subtree_people(organisation), month, with_entries=False
        )
        if row.arrears
    ]
    return month, rows


@login_required
def arrears(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Members of the subtree with months owed before this month."""
    organisation = get_organisation_or_404(request, org_pk)
    month, rows = _arrears(organisation)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/arrears.html",
        {
            "organisation": organisation,
            "page": page,
            "month": month,
            "count": len(rows),
            "total": sum((row.arrears_amount for row in rows), selectors.ZERO),
            "can_record": scope_for(request.user).covers(organisation),
            "columns": ARREARS_COLUMNS,
        },
    )


@login_required
def arrears_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The arrears page as Excel: its columns, every member in arrears."""
    organisation = get_organisation_or_404(request, org_pk)
    month, rows = _arrears(organisation)
    return ledger_response(
        rows, ARREARS_COLUMNS, filename=f"{organisation.name}{month:%Y年%m月}前党费欠缴名单"
    )


@login_required
def totals(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A month's totals over any subtree, with a row per child organisation."""
    organisation = get_organisation_or_404(request, org_pk)
    month = _month(request)
    overall, children = selectors.subtree_totals(organisation, month)
    parent = None
    if organisation.depth > 1:
        parent = Organisation.objects.get_parent(organisation)
        if not scope_for(request.user).covers(parent):
            parent = None
    return render(
        request,
        "dues/totals.html",
        {
            "organisation": organisation,
            "month": month,
            "overall": overall,
            "children": children,
            "parent": parent,
            "previous": month_key(add_months(month, -1)),
            "next": month_key(add_months(month, 1)),
            "columns": TOTALS_COLUMNS,
        },
    )


@login_required
def totals_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The totals page as Excel: its month, a row per child organisation, the total."""
    organisation = get_organisation_or_404(request, org_pk)
    month = _month(request)
    overall, children = selectors.subtree_totals(organisation, month)
    return ledger_response(
        children,
        TOTALS_COLUMNS,
        filename=f"{organisation.name}{month:%Y年%m月}党费收缴汇总",
        footer=totals_footer(overall),
    )


# --- A member's dues --------------------------------------------------------------------


def _member_page(request: HttpRequest, person: Person) -> HttpResponse:
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= today.year + 1 else today.year
    scope = scope_for(request.user)
    return render(
        request,
        "dues/member.html",
        {
            "person": person,
            **selectors.member_dues(person, year=year, today=today),
            "can_record": scope.covers(person.branch),
            "can_declare": scope.covers(person.branch) or person == scope.person,
            "is_self": person == scope.person,
            "organisation": person.branch,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own dues: declarations, months, payments, arrears."""
    person = scope_for(request.user).person
    if person is None:
        return render(request, "dues/index_empty.html", {"role": Role.UNLINKED})
    person = get_person_or_404(request, person.pk)
    return _member_page(request, person)


@login_required
def member(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _member_page(request, get_person_or_404(request, person_pk))


@login_required
def declare(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Declare (or re-declare) a member's base: the member themself or a leader."""
    person = get_person_or_404(request, person_pk)
    scope = scope_for(request.user)
    if person != scope.person:
        _require_lead(scope, person.branch)
    today = timezone.localdate()
    form = DeclarationForm(
        request.POST or None, initial={"year": today.year, "from_month": today.month}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_record(person=person, data=form.data_object(), by=request.user)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The declaration was recorded."))
            return redirect("dues:member", person_pk=person.pk)
    return render(
        request,
        "dues/declare.html",
        {"form": form, "person": person, "organisation": person.branch},
    )


# --- Panels for other apps' pages (loaded by htmx, so those pages keep their counts) ---


@login_required
def person_panel(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_person_or_404(request, person_pk)
    month = _this_month()
    row = selectors.ledger_rows([person], month, with_entries=False)[0]
    return render(request, "dues/person_panel.html", {"person": person, "row": row, "month": month})


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    month = _this_month()
    overall, _children = selectors.subtree_totals(organisation, month)
    return render(
        request,
        "dues/organisation_panel.html",
        {"organisation": organisation, "totals": overall, "month": month},
    )


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.home_organisation
    if organisation is None and scope.sees_all:
        organisation = Organisation.objects.filter(depth=1).first()
    if organisation is None:
        return HttpResponse("")
    month = _this_month()
    overall, children = selectors.subtree_totals(organisation, month)
    return render(
        request,
        "dues/overview_panel.html",
        {"organisation": organisation, "totals": overall, "children": children, "month": month},
    )
