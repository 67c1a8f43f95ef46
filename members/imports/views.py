"""Pages of the roster import: the template, the upload, the preview, the confirmation,
and the record of past imports. Thin: access through `members.imports.access`, writes
through `members.imports.services`."""

from __future__ import annotations

from collections import defaultdict

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

from supplychain_party.exports import xlsx_response
from supplychain_party.sheet_imports import report_not_imported
from supplychain_party.spreadsheets import SheetRefused

from ..access import scope_for
from ..models import Membership, Person, Post, RosterImport
from . import services
from .access import get_import_or_404, importable_branches, require_import
from .forms import RosterUploadForm
from .sheet import HEADERS, TITLE, roster_rows, sheet_words, template_workbook


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    """The sheet to fill in: blank, or (?branch=) with the branch's roster as it is, so
    that importing it unchanged changes nothing."""
    scope = require_import(request)
    today = timezone.localdate()
    branch_pk = request.GET.get("branch", "")
    if not branch_pk:
        workbook = template_workbook(heading=TITLE, rows=[])
        return xlsx_response(workbook, f"{TITLE}_模板.xlsx")
    if not branch_pk.isdigit():
        raise Http404
    branch = importable_branches(scope).filter(pk=int(branch_pk)).first()
    if branch is None:
        raise Http404
    people = list(
        Person.objects.active()
        .filter(branch=branch)
        .select_related("branch", "group")
        .order_by("group__name", "name", "pk")
    )
    memberships = {
        membership.person_id: membership
        for membership in Membership.objects.filter(person__in=people, ended_on__isnull=True)
    }
    posts = defaultdict(list)
    for post in (
        Post.objects.filter(
            person__in=people, ended_on__isnull=True, organisation__path__startswith=branch.path
        )
        .in_role_order()
        .only("person_id", "role", "started_on")
    ):
        posts[post.person_id].append(post)
    workbook = template_workbook(
        heading=f"{TITLE}（{branch.name}，{today.isoformat()}）",
        rows=roster_rows(people, memberships=memberships, posts=posts),
    )
    return xlsx_response(workbook, f"{TITLE}_{branch.name}_{today.isoformat()}.xlsx")


@login_required
def roster_import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the sheet; a file that cannot be the roster sheet is refused here."""
    scope = require_import(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.roster_import_upload(
                upload=form.cleaned_data["file"], scope=scope, by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("members:roster_import_detail", pk=batch.pk)
    return render(
        request,
        "members/roster_import_upload.html",
        {
            "form": form,
            "headers": HEADERS,
            "statuses": sheet_words(Person.Status.choices),
            "genders": sheet_words(Person.Gender.choices),
            "posts": sheet_words(Post.Role.choices),
            "branches": importable_branches(scope).only("pk", "name"),
        },
    )


@login_required
def roster_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2 for the uploader: every row as it would be imported, and every error. For
    an import done or discarded: its record, read by the uploader and their superiors."""
    batch = get_import_or_404(request, pk, own=False)
    sheet, refused = None, ""
    if batch.status == RosterImport.Status.PENDING:
        if batch.uploaded_by_id != request.user.pk:
            raise Http404  # a pending sheet is checked against its uploader's scope
        try:
            sheet = services.roster_preview(batch, scope=scope_for(request.user))
        except SheetRefused as error:
            refused = str(error)
    return render(
        request,
        "members/roster_import_detail.html",
        {
            "batch": batch,
            "sheet": sheet,
            "counts": sheet.counts() if sheet else None,
            "refused": refused,
            "mine": batch.uploaded_by_id == request.user.pk,
        },
    )


@login_required
@require_POST
def roster_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: import every row in one transaction, validated again, or none."""
    batch = get_import_or_404(request, pk, own=True)
    try:
        batch = services.roster_import_confirm(
            batch=batch, scope=scope_for(request.user), by=request.user
        )
    except ValidationError as error:
        report_not_imported(request, error)
        return redirect("members:roster_import_detail", pk=batch.pk)
    messages.success(
        request,
        _(
            "The roster was imported: %(created)d people added, %(updated)d changed, "
            "%(unchanged)d unchanged."
        )
        % batch.counts(),
    )
    return redirect("members:roster_import_detail", pk=batch.pk)


@login_required
@require_POST
def roster_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_import_or_404(request, pk, own=True)
    if services.roster_import_discard(batch=batch):
        messages.info(request, _("The sheet was discarded; nothing was imported."))
    return redirect("members:roster_import_upload")


@login_required
def roster_import_list(request: HttpRequest) -> HttpResponse:
    """The imports made in the user's organisations (and their own), newest first."""
    scope = require_import(request)
    imports = (
        RosterImport.objects.visible_to(scope, request.user)
        .select_related("uploaded_by", "organisation")
        .defer("content")
    )
    page = Paginator(imports, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/roster_import_list.html", {"page": page})
