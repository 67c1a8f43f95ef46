from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import scope_for
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import DOCUMENT_COLUMNS
from ..forms import DocumentForm, VersionForm
from ..models import Document


def get_document_or_404(request: HttpRequest, pk: int) -> Document:
    documents = selectors.visible_documents(scope_for(request.user))
    try:
        return documents.select_related("organisation").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def _documents(request: HttpRequest, scope):
    """The documents the user may read, with the list's filters: its page and export."""
    documents = selectors.visible_documents(scope)
    category = request.GET.get("category", "")
    if category in Document.Category.values:
        documents = documents.filter(category=category)
    q = request.GET.get("q", "").strip()
    if q:
        documents = documents.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return selectors.documents_for_list(documents), category, q


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """The rules, measures and schemes the user may read, searchable."""
    scope = scope_for(request.user)
    documents, category, q = _documents(request, scope)
    page = Paginator(documents, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/document_list.html",
        {
            "page": page,
            "category": category,
            "q": q,
            "categories": Document.Category.choices,
            "may_publish": scope.leads_anything,
            "columns": DOCUMENT_COLUMNS,
        },
    )


@login_required
def documents_export(request: HttpRequest) -> HttpResponse:
    """The documents list as Excel: the user's scope, the page's columns and filters."""
    documents, _category, _q = _documents(request, scope_for(request.user))
    return ledger_response(documents, DOCUMENT_COLUMNS, filename="制度文件台账")


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request, pk)
    return render(
        request,
        "activities/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by").order_by("-number"),
            "may_upload": scope_for(request.user).covers(document.organisation),
            "form": VersionForm(),
        },
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.leads_anything:
        raise Http404
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        organisations=scope.organisations().active(),
        initial={"organisation": scope.home_organisation},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                organisation=data["organisation"],
                title=data["title"],
                category=data["category"],
                visibility=data["visibility"],
                description=data.get("description", ""),
                upload=data["file"],
                changes=data.get("changes", ""),
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The document was published."))
            return redirect("activities:document_detail", pk=document.pk)
    return render(request, "activities/document_form.html", {"form": form})


@login_required
@require_POST
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and say what changed."))
        return redirect("activities:document_detail", pk=document.pk)
    try:
        version = services.version_add(
            document=document,
            upload=form.cleaned_data["file"],
            changes=form.cleaned_data["changes"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(n)d was uploaded.") % {"n": version.number})
    return redirect("activities:document_detail", pk=document.pk)


@login_required
def version_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """A version's file, for those who may see the document; media is never served raw."""
    document = get_document_or_404(request, pk)
    version = get_object_or_404(document.versions, number=number)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
