from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import scope_for
from supplychain_party.exports import ledger_response

from .. import selectors, services
from ..exports import PROJECT_COLUMNS
from ..forms import ProgressForm
from ..models import JointProject
from ..services.projects import may_report


def get_project_or_404(request: HttpRequest, pk: int) -> JointProject:
    projects = selectors.visible_projects(scope_for(request.user))
    try:
        return projects.select_related(
            "partnership__organisation", "partnership__partner", "lead"
        ).get(pk=pk)
    except JointProject.DoesNotExist:
        raise Http404 from None


def _projects(request: HttpRequest):
    """The projects the user may see, with the list's status filter: its page and export."""
    projects = (
        selectors.visible_projects(scope_for(request.user))
        .select_related("partnership__organisation", "partnership__partner", "lead")
        .order_by("partnership__started_on", "due_on", "pk")
    )
    status = request.GET.get("status", "")
    if status in JointProject.Status.values:
        projects = projects.filter(status=status)
    return projects, status


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Joint research topics of the pairings the user may see, with their progress."""
    projects, status = _projects(request)
    page = Paginator(projects, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/project_list.html",
        {
            "page": page,
            "status": status,
            "statuses": JointProject.Status.choices,
            "columns": PROJECT_COLUMNS,
        },
    )


@login_required
def projects_export(request: HttpRequest) -> HttpResponse:
    """The joint projects list as Excel: the user's scope, the page's columns and filter."""
    projects, _status = _projects(request)
    return ledger_response(projects, PROJECT_COLUMNS, filename="结对联创课题台账")


def _detail(request: HttpRequest, project: JointProject, form: ProgressForm) -> HttpResponse:
    return render(
        request,
        "activities/project_detail.html",
        {
            "project": project,
            "form": form,
            "members": project.members.order_by("name"),
            "progress": project.progress.select_related("by").order_by("-on", "-pk"),
            "may_report": may_report(project, request.user)
            and project.status == JointProject.Status.ACTIVE,
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_project_or_404(request, pk), ProgressForm())


@login_required
@require_POST
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Append a progress entry (never edited)."""
    project = get_project_or_404(request, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.progress_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The progress was recorded."))
            return redirect("activities:project_detail", pk=project.pk)
    return _detail(request, project, form)
