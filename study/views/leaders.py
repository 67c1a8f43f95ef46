"""Leaders' study pages: publish and assign materials, follow who has read them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.access import Scope, get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response, xlsx_response

from .. import selectors, services
from ..exports import MATERIAL_COLUMNS, completion_workbook
from ..forms import AssignForm, MaterialForm
from ..models import Assignment
from .members import get_material_or_404


def _leader_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.leads_anything:
        raise Http404
    return scope


def _assignable(scope: Scope):
    """Organisations a leader publishes for and assigns to (not party groups)."""
    return scope.organisations().active().exclude(kind=Organisation.Kind.GROUP).order_by("path")


def _materials(request: HttpRequest, scope: Scope):
    """The materials list's rows with its search: the page and its export."""
    materials = (
        selectors.managed_materials(scope)
        .select_related("organisation")
        .annotate(assignment_count=Count("assignments", distinct=True))
        .order_by("-published_on", "-pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        materials = materials.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return materials, query


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    """Materials published within what the leader leads, newest first; searchable."""
    scope = _leader_scope(request)
    materials, query = _materials(request, scope)
    page = Paginator(materials, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "study/material_list.html",
        {
            "page": page,
            "q": query,
            "home": scope.home_organisation,
            "columns": MATERIAL_COLUMNS,
        },
    )


@login_required
def materials_export(request: HttpRequest) -> HttpResponse:
    """The materials list as Excel: the leader's materials, the page's search."""
    materials, _query = _materials(request, _leader_scope(request))
    return ledger_response(materials, MATERIAL_COLUMNS, filename="学习资料台账")


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    scope = _leader_scope(request)
    organisations = _assignable(scope)
    form = MaterialForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"published_on": timezone.localdate(), "organisation": scope.home_organisation},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = _create_and_assign(request, data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The material was published."))
            return redirect("study:material_detail", pk=material.pk)
    return render(request, "study/material_form.html", {"form": form})


def _create_and_assign(request: HttpRequest, data: dict):
    # One transaction: a refused assignment leaves no material behind.
    with transaction.atomic():
        material = services.material_create(
            organisation=data["organisation"],
            title=data["title"],
            kind=data["kind"],
            published_on=data["published_on"],
            body=data["body"],
            url=data["url"],
            upload=data.get("file"),
            by=request.user,
        )
        if data.get("due_on"):
            services.material_assign(
                material=material,
                organisation=data["organisation"],
                due_on=data["due_on"],
                by=request.user,
            )
    return material


@login_required
def material_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a material to an organisation the leader leads (its whole subtree)."""
    scope = _leader_scope(request)
    material = get_material_or_404(request, pk)
    form = AssignForm(
        request.POST or None,
        organisations=_assignable(scope),
        initial={"organisation": scope.home_organisation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _assignment, created = services.material_assign(
                material=material,
                organisation=form.cleaned_data["organisation"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The material was assigned.") if created else _("The due date was changed."),
            )
            return redirect("study:material_detail", pk=material.pk)
    return render(request, "study/assign_form.html", {"form": form, "material": material})


def _selected_assignment(request: HttpRequest, organisation: Organisation, assignments):
    wanted = request.GET.get("assignment", "")
    if wanted.isdigit():
        try:
            return assignments.get(pk=int(wanted))
        except Assignment.DoesNotExist:
            raise Http404 from None
    return assignments.first()


@login_required
def completion(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Current assignments of the organisation; for one of them, completion per branch
    and the members who have not read it yet."""
    organisation = get_organisation_or_404(request, org_pk)
    if not scope_for(request.user).leads_anything:
        raise Http404
    today = timezone.localdate()
    assignments = selectors.current_assignments(organisation, today)
    assignment_list = list(assignments)
    selected = _selected_assignment(request, organisation, assignments)
    context = {
        "organisation": organisation,
        "assignments": assignment_list,
        "selected": selected,
        "today": today,
    }
    if selected is not None:
        people = selectors.expected_readers(organisation, selected)
        status = request.GET.get("status", "unread")
        readers = selectors.readers_of(people, selected.material)
        if status == "unread":
            readers = readers.filter(read_at__isnull=True)
        context.update(
            branches=list(
                selectors.completion_by_branch(
                    organisation, selected.material, selected.organisation
                )
            ),
            page=Paginator(readers, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            status=status,
        )
    return render(request, "study/completion.html", context)


@login_required
def completion_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The completion list of one assignment as Excel, with the page's filter."""
    organisation = get_organisation_or_404(request, org_pk)
    if not scope_for(request.user).leads_anything:
        raise Http404
    assignments = selectors.current_assignments(organisation, timezone.localdate())
    selected = _selected_assignment(request, organisation, assignments)
    if selected is None:
        raise Http404
    readers = selectors.readers_of(
        selectors.expected_readers(organisation, selected), selected.material
    )
    if request.GET.get("status", "unread") == "unread":
        readers = readers.filter(read_at__isnull=True)
    return xlsx_response(
        completion_workbook(organisation=organisation, assignment=selected, people=readers),
        f"{organisation.name}学习完成情况.xlsx",
    )
