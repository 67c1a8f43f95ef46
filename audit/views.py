from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from members.access import Role, scope_for
from supplychain_party.exports import ledger_response

from .exports import DOWNLOAD_COLUMNS
from .models import Download
from .selectors import changes_of, history_models, history_queryset, latest_changes


def _committee_only(request: HttpRequest) -> None:
    """The audit trail is the committee's: anyone else gets the same 404 as a missing page."""
    if scope_for(request.user).role != Role.COMMITTEE:
        raise Http404


@login_required
def download_list(request: HttpRequest) -> HttpResponse:
    downloads, username, since, until = _downloads(request)
    page = Paginator(downloads, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/download_list.html",
        {
            "page_obj": page,
            "username": username,
            "since": since,
            "until": until,
            "columns": DOWNLOAD_COLUMNS,
        },
    )


@login_required
def download_export(request: HttpRequest) -> HttpResponse:
    """The download trail as Excel: the page's filters and columns (itself recorded)."""
    downloads, _username, _since, _until = _downloads(request)
    return ledger_response(downloads, DOWNLOAD_COLUMNS, filename="下载审计记录")


def _downloads(request: HttpRequest):
    """The downloads the trail lists, with its filters: its page and its export."""
    _committee_only(request)
    downloads = Download.objects.all()
    username = request.GET.get("user", "").strip()
    if username:
        downloads = downloads.filter(username=username)
    since, until = (
        parse_date(request.GET.get("since", "")),
        parse_date(request.GET.get("until", "")),
    )
    if since:
        downloads = downloads.filter(at__date__gte=since)
    if until:
        downloads = downloads.filter(at__date__lte=until)
    return downloads, username, since, until


@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    _committee_only(request)
    models_ = history_models()
    label = request.GET.get("model", "")
    username = request.GET.get("user", "").strip()
    page = None
    if label in models_:
        page = Paginator(history_queryset(label, username=username), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        changes = changes_of(label, page.object_list)
    else:
        label = ""
        changes = latest_changes(limit=settings.PAGE_SIZE, username=username)
    choices = [(key, model.instance_type._meta.verbose_name) for key, model in models_.items()]
    return render(
        request,
        "audit/change_list.html",
        {
            "changes": changes,
            "page_obj": page,
            "choices": choices,
            "label": label,
            "username": username,
        },
    )
