"""The receipt report: read x of y, per branch, and who has not read (with export)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supplychain_party.exports import xlsx_response

from .. import selectors
from ..exports import non_readers_workbook
from .access import get_managed_or_404


def _branch_filter(request: HttpRequest) -> int | None:
    value = request.GET.get("branch", "")
    return int(value) if value.isdigit() else None


@login_required
def receipt_report(request: HttpRequest, pk: int) -> HttpResponse:
    """For the sender's leaders and those above (the committee): who has read, who not."""
    notice = get_managed_or_404(request, pk)
    branches = selectors.by_branch(notice)
    branch_id = _branch_filter(request)
    page = Paginator(
        selectors.non_readers(notice, branch_id=branch_id), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    addressed = sum(row["addressed"] for row in branches)
    read = sum(row["read"] for row in branches)
    return render(
        request,
        "notices/receipt_report.html",
        {
            "notice": notice,
            "organisation": notice.organisation,
            "branches": branches,
            "branch_id": branch_id,
            "page": page,
            "addressed": addressed,
            "read": read,
            "unread": addressed - read,
        },
    )


@login_required
def unread_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has not read the notice, as an Excel sheet (the page's branch filter applies)."""
    notice = get_managed_or_404(request, pk)
    receipts = selectors.non_readers(notice, branch_id=_branch_filter(request))
    return xlsx_response(
        non_readers_workbook(notice=notice, receipts=receipts), f"{notice.title[:50]}-未读人员.xlsx"
    )
