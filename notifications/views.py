from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services import notification_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications; opening the page marks the shown ones read."""
    page = Paginator(
        Notification.objects.for_user(request.user).order_by("-created_at", "-pk"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    # Rendered first, so the rows just read still show as new on this visit.
    response = render(request, "notifications/notification_list.html",
                      {"page": page, "unread_ids": unread_ids})
    if unread_ids:
        notification_mark_read(user=request.user, pks=unread_ids)
    return response


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link."""
    notification_mark_read(user=request.user, pks=[pk])
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    target = notification.url if notification else ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    return redirect(target or "notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("notifications:list")
