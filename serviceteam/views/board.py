"""The supply status board: the week's board (published to every logged-in user), a
project's weekly timeline with its entry form, the weekly sheet's template, import and
the board's export."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import scope_for
from supplychain_party.exports import xlsx_response
from supplychain_party.sheet_imports import report_not_imported

from .. import selectors, services
from ..access import may_enter_status
from ..forms import ImportForm, StatusForm
from ..models import ImportBatch, KeyProject, WeeklyStatus, week_start
from ..sheets import (
    CONTRACT_WORDS,
    HEADERS,
    TENDERING_WORDS,
    SheetRefused,
    board_workbook,
    template_workbook,
)


def _week(request: HttpRequest) -> datetime.date:
    """The week asked for (any day of it), else the latest week with entries."""
    try:
        return week_start(datetime.date.fromisoformat(request.GET.get("week") or ""))
    except ValueError:
        return selectors.latest_week() or selectors.this_week()


def _board_filters(request: HttpRequest) -> dict:
    show = request.GET.get("show", "")
    return {
        "search": request.GET.get("q", ""),
        "show": show if show in ("delayed", "missing") else "",
    }


def _require_entry(request: HttpRequest) -> None:
    if not may_enter_status(scope_for(request.user)):
        raise Http404


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The week's board: every active project's stages and the change since its previous
    entry. Readable by every logged-in user: it is published company-wide."""
    week = _week(request)
    filters = _board_filters(request)
    projects = selectors.board_projects(week=week, **filters)
    page = Paginator(projects, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.board_rows(page.object_list, week=week)
    return render(
        request,
        "serviceteam/board.html",
        {
            "week": week,
            "week_end": week + datetime.timedelta(days=6),
            "previous_week": week - datetime.timedelta(days=7),
            "next_week": week + datetime.timedelta(days=7)
            if week < selectors.this_week()
            else None,
            "weeks": sorted({week, *selectors.board_weeks()}, reverse=True),
            "filters": filters,
            "page": page,
            "rows": rows,
            "counts": selectors.board_counts(week),
            "may_enter": may_enter_status(scope_for(request.user)),
        },
    )


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    week = _week(request)
    projects = selectors.board_projects(week=week, **_board_filters(request))
    rows = selectors.board_rows(projects, week=week)
    return xlsx_response(
        board_workbook(week=week, rows=rows),
        f"重点工程物资采购供应状态跟踪表_{week.isoformat()}.xlsx",
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's weekly timeline, its corrections, and (for the team) the entry form."""
    project = get_object_or_404(KeyProject, pk=pk)
    may_enter = may_enter_status(scope_for(request.user)) and project.is_active
    form = None
    if may_enter:
        initial = {"week": selectors.this_week()}
        latest = project.statuses.order_by("-week").first()
        if latest is not None:
            initial.update(latest.values())
        form = StatusForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.weekly_status_record(
                    project=project,
                    week=form.cleaned_data["week"],
                    values=form.values(),
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    {
                        "created": _("The week's status was entered."),
                        "updated": _("The week's status was corrected."),
                        "unchanged": _("Nothing changed."),
                    }[result],
                )
                return redirect("serviceteam:project_detail", pk=project.pk)
    elif request.method == "POST":
        raise Http404
    corrections = (
        WeeklyStatus.history.filter(project_id=project.pk, history_type="~")
        .select_related("history_user")
        .order_by("-history_date")[:50]
    )
    return render(
        request,
        "serviceteam/project_detail.html",
        {
            "project": project,
            "timeline": selectors.project_timeline(project),
            "form": form,
            "corrections": corrections,
        },
    )


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    """The blank weekly sheet, prefilled with each active project's latest status."""
    _require_entry(request)
    week = selectors.this_week()
    projects = list(KeyProject.objects.active().order_by("code"))
    return xlsx_response(
        template_workbook(
            week=week, projects=projects, statuses=selectors.latest_statuses(projects)
        ),
        f"重点工程物资采购供应状态跟踪表_模板_{week.isoformat()}.xlsx",
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the weekly sheet; a file that cannot be the sheet is refused here."""
    _require_entry(request)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"week": selectors.this_week()}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                content=upload.read(),
                filename=upload.name,
                week=form.cleaned_data["week"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("serviceteam:import_preview", pk=batch.pk)
    return render(
        request,
        "serviceteam/import_upload.html",
        {
            "form": form,
            "headers": HEADERS,
            "tendering_words": TENDERING_WORDS.values(),
            "contract_words": CONTRACT_WORDS.values(),
        },
    )


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    """A user sees only the sheets they uploaded themself."""
    _require_entry(request)
    try:
        return ImportBatch.objects.get(pk=pk, uploaded_by=request.user)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: every row as it would be imported, and every row's errors."""
    batch = _batch_or_404(request, pk)
    sheet, refused = None, ""
    if batch.status == ImportBatch.Status.PENDING:
        try:
            sheet = services.import_read(batch)
        except SheetRefused as error:
            refused = str(error)
    return render(
        request,
        "serviceteam/import_preview.html",
        {
            "batch": batch,
            "sheet": sheet,
            "refused": refused,
            "past_week": batch.week < selectors.this_week(),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: import all rows in one transaction, validated again, or none."""
    batch = _batch_or_404(request, pk)
    try:
        batch = services.import_confirm(batch=batch, by=request.user)
    except ValidationError as error:
        report_not_imported(request, error)
        return redirect("serviceteam:import_preview", pk=batch.pk)
    messages.success(
        request,
        _(
            "The sheet was imported: %(created)d entered, %(updated)d corrected, %(unchanged)d "
            "unchanged."
        )
        % batch.counts(),
    )
    return redirect(f"{reverse('serviceteam:board')}?week={batch.week.isoformat()}")


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if services.import_discard(batch=batch):
        messages.info(request, _("The sheet was discarded; nothing was imported."))
    return redirect("serviceteam:import_upload")


@login_required
def overview_panel(request: HttpRequest) -> HttpResponse:
    """This week's board in figures, for the committee's and general branches' overview."""
    week = selectors.this_week()
    counts = selectors.board_counts(week)
    if not counts["projects"]:
        return HttpResponse("")
    return render(
        request,
        "serviceteam/overview_panel.html",
        {
            "week": week,
            "counts": counts,
            "missing": counts["projects"] - counts["entered"],
            "today": timezone.localdate(),
        },
    )
