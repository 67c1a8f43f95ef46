"""The reader's inbox and a notice's page; composing, publishing and withdrawing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import SENT_COLUMNS
from ..forms import NoticeForm
from ..models import Notice
from .access import get_managed_or_404, get_readable_or_404


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My notices: from my organisations and those above them, unread first (or newest
    first), searchable; leaders also find here the notices of what they lead."""
    scope = scope_for(request.user)
    search = request.GET.get("q", "").strip()
    sort = "newest" if request.GET.get("sort") == "newest" else "unread"
    important = request.GET.get("important") == "1"
    notices = selectors.inbox(
        scope, search=search, unread_first=sort == "unread", important_only=important
    )
    page = Paginator(notices, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    led = sorted(scope.led, key=lambda org: org.path)
    return render(
        request,
        "notices/index.html",
        {
            "scope": scope,
            "page": page,
            "q": search,
            "sort": sort,
            "important": important,
            "led": led,
        },
    )


def _sent(request: HttpRequest, organisation):
    """The organisation's notices with the list's filters: its page and its export."""
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    important = request.GET.get("important") == "1"
    notices = selectors.sent_by(
        organisation, search=search, status=status, important_only=important
    )
    return notices, search, status, important


@login_required
def sent_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """An organisation's notices (drafts first, then newest), with their read rates."""
    organisation = get_organisation_or_404(request, org_pk)
    notices, search, status, important = _sent(request, organisation)
    page = Paginator(notices, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/sent_list.html",
        {
            "organisation": organisation,
            "page": page,
            "q": search,
            "status": status,
            "important": important,
            "statuses": Notice.Status.choices,
            "columns": SENT_COLUMNS,
        },
    )


@login_required
def sent_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The notices sent as Excel: the page's columns and filters."""
    organisation = get_organisation_or_404(request, org_pk)
    notices, _search, _status, _important = _sent(request, organisation)
    return ledger_response(notices, SENT_COLUMNS, filename=f"{organisation.name}通知公告台账")


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice; opening it records the reader's receipt and clears it from the bell."""
    notice, addressed = get_readable_or_404(request, pk)
    scope = scope_for(request.user)
    receipt = None
    if addressed and scope.person is not None:
        receipt = services.receipt_record(notice=notice, person=scope.person, user=request.user)
    can_manage = scope.covers(notice.organisation)
    counts = None
    if can_manage and not notice.is_draft:
        counts = notice.receipts.aggregate(
            addressed=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False))
        )
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "organisation": notice.organisation,
            "receipt": receipt,
            "attachments": notice.attachments.all(),
            "can_manage": can_manage,
            "counts": counts,
            "history": notice.history.select_related("history_user")[:10] if can_manage else (),
        },
    )


def _form_page(request: HttpRequest, *, organisation, notice: Notice | None = None):
    if request.method == "POST":
        form = NoticeForm(request.POST, request.FILES, instance=notice,
                          version=None if notice is None else "")  # the token is posted
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            try:
                if notice is None:
                    notice = services.notice_create(
                        organisation=organisation,
                        data=form.notice_data(),
                        by=request.user,
                        form_token=form.cleaned_data.get("form_token"),
                        uploads=uploads,
                    )
                else:
                    services.notice_update(
                        notice=notice, data=form.notice_data(), by=request.user, uploads=uploads,
                        version=form.version,
                    )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if "publish" in request.POST:
                    return _publish(request, notice)
                messages.success(request, _("The draft was saved."))
                return redirect("notices:detail", pk=notice.pk)
    else:
        form = NoticeForm(instance=notice, initial={"form_token": uuid.uuid4()},
                          version=services.notice_version(notice) if notice else None)
    return render(
        request,
        "notices/notice_form.html",
        {
            "organisation": organisation,
            "form": form,
            "notice": notice,
            "attachments": notice.attachments.all() if notice else (),
        },
    )


@login_required
def notice_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Write a notice from an organisation the user leads (or leads above)."""
    organisation = get_organisation_or_404(request, org_pk)
    return _form_page(request, organisation=organisation)


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_managed_or_404(request, pk)
    if not notice.is_draft:
        messages.info(request, _("A published notice is final; withdraw it and write another."))
        return redirect("notices:detail", pk=notice.pk)
    return _form_page(request, organisation=notice.organisation, notice=notice)


def _publish(request: HttpRequest, notice: Notice) -> HttpResponse:
    try:
        published = services.notice_publish(notice=notice, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if published:
            messages.success(
                request,
                _("The notice was published; its readers will find it in their notifications."),
            )
        else:
            messages.info(request, _("The notice was already published."))
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, get_managed_or_404(request, pk))


@login_required
@require_POST
def notice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_managed_or_404(request, pk)
    try:
        withdrawn = services.notice_withdraw(notice=notice, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if withdrawn:
            messages.success(request, _("The notice was withdrawn; readers no longer see it."))
        else:
            messages.info(request, _("The notice was already withdrawn."))
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_managed_or_404(request, pk)
    organisation_pk = notice.organisation_id
    try:
        services.notice_delete(notice=notice, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("notices:detail", pk=notice.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("notices:sent_list", org_pk=organisation_pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An attachment, for those who may open its notice; media is never served raw."""
    notice, _addressed = get_readable_or_404(request, pk)
    attachment = get_object_or_404(notice.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    notice = get_managed_or_404(request, pk)
    attachment = get_object_or_404(notice.attachments.select_related("notice"), pk=attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("notices:edit", pk=notice.pk)
