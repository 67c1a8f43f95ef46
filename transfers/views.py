"""Pages for membership transfers. Thin: access through `members.access`, reads through
`selectors`, writes through `services`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import get_organisation_or_404, get_person_or_404, scope_for
from members.models import Person
from supplychain_party.exports import xlsx_response

from . import selectors, services
from .exports import ledger_workbook
from .forms import TransferForm
from .models import Transfer

DIRECTIONS = (
    (selectors.OUTGOING, gettext_lazy("Outgoing")),
    (selectors.INCOMING, gettext_lazy("Incoming")),
)


def get_transfer_or_404(request: HttpRequest, pk: int) -> Transfer:
    transfers = selectors.visible_transfers(scope_for(request.user))
    try:
        return transfers.select_related(
            "person",
            "from_branch",
            "to_branch",
            "issued_by",
            "received_by",
            "confirmed_by",
            "cancelled_by",
        ).get(pk=pk)
    except Transfer.DoesNotExist:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Leaders land on the ledger of what they lead; a member sees their own transfers."""
    scope = scope_for(request.user)
    home = scope.landing_organisation()
    if home is not None:
        return redirect("transfers:ledger", org_pk=home.pk)
    transfers = (
        Transfer.objects.filter(person=scope.person).select_related(
            "person", "from_branch", "to_branch"
        )
        if scope.person
        else Transfer.objects.none()
    )
    return render(request, "transfers/index.html", {"transfers": transfers})


def _filters(request: HttpRequest) -> dict:
    return {
        "direction": request.GET.get("direction", ""),
        "status": request.GET.get("status", ""),
        "search": request.GET.get("q", "").strip(),
    }


@login_required
def ledger(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The transfer ledger of a branch or subtree: outgoing and incoming, by status."""
    organisation = get_organisation_or_404(request, org_pk)
    filters = _filters(request)
    transfers = selectors.ledger(organisation, **filters)
    page = Paginator(transfers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfers/ledger.html",
        {
            "organisation": organisation,
            "page": page,
            "filters": filters,
            "directions": DIRECTIONS,
            "statuses": Transfer.Status.choices,
        },
    )


@login_required
def ledger_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    transfers = selectors.ledger(organisation, **_filters(request)).order_by("issued_on", "pk")
    return xlsx_response(
        ledger_workbook(organisation=organisation, transfers=transfers),
        f"{organisation.name}组织关系转接台账.xlsx",
    )


@login_required
def transfer_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Issue a letter (out of a branch led here), or register one coming in."""
    organisation = get_organisation_or_404(request, org_pk)
    scope = scope_for(request.user)
    own_branches = Organisation.objects.branches().filter(path__startswith=organisation.path)
    # Members of the subtree, and party members who belong to no branch (coming in).
    people = (
        Person.objects.party_members()
        .active()
        .filter(Q(branch__path__startswith=organisation.path) | Q(branch__isnull=True))
    )
    today = timezone.localdate()
    form = TransferForm(
        request.POST or None,
        people=people,
        own_branches=own_branches,
        all_branches=Organisation.objects.branches().active(),
        initial={
            "issued_on": today,
            "effective_on": today,
            "from_branch": organisation.pk if organisation.is_branch else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.data_object()
        if data.direction == Transfer.Direction.IN and not scope.covers(data.to_branch):
            form.add_error("to_branch", _("Register a letter coming in to a branch you lead."))
        else:
            try:
                transfer = services.transfer_issue(data=data, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The transfer letter was recorded."))
                return redirect("transfers:detail", pk=transfer.pk)
    return render(
        request, "transfers/transfer_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_transfer_or_404(request, pk)
    scope = scope_for(request.user)
    issuing = (
        transfer.to_branch if transfer.direction == Transfer.Direction.IN else transfer.from_branch
    )
    return render(
        request,
        "transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "may_receive": transfer.is_open and scope.covers(transfer.receiving_side),
            "may_cancel": transfer.is_open and scope.covers(issuing),
            "today": timezone.localdate(),
        },
    )


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    transfer = get_transfer_or_404(request, pk)
    scope = scope_for(request.user)
    if step == "cancel":
        side = (
            transfer.to_branch
            if transfer.direction == Transfer.Direction.IN
            else transfer.from_branch
        )
    else:
        side = transfer.receiving_side
    if not scope.covers(side):
        raise Http404
    service = {
        "receive": services.transfer_receive,
        "confirm": services.transfer_confirm,
        "cancel": services.transfer_cancel,
    }[step]
    done = {
        "receive": _("The receipt was recorded."),
        "confirm": _("The transfer is confirmed; the membership moved on the effective date."),
        "cancel": _("The transfer was cancelled."),
    }[step]
    try:
        if service(transfer=transfer, on=timezone.localdate(), by=request.user):
            messages.success(request, done)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("transfers:detail", pk=transfer.pk)


@login_required
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "receive")


@login_required
@require_POST
def transfer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "confirm")


@login_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "cancel")


@login_required
def person_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's transfers, for their page (loaded by htmx)."""
    person = get_person_or_404(request, pk)
    transfers = (
        Transfer.objects.filter(person=person)
        .select_related("from_branch", "to_branch")
        .order_by("-issued_on", "-pk")
    )
    return render(
        request, "transfers/person_panel.html", {"person": person, "transfers": transfers}
    )


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Open transfers out of and into the subtree, for the organisation page."""
    organisation = get_organisation_or_404(request, org_pk)
    open_ = selectors.ledger(organisation).filter(status__in=Transfer.OPEN_STATUSES)[:10]
    return render(
        request,
        "transfers/organisation_panel.html",
        {"organisation": organisation, "transfers": list(open_)},
    )
