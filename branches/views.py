from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.access import get_organisation_or_404, scope_for
from members.models import Person, Post
from members.selectors import attach_subtree_party_members, attach_warnings, with_figures
from supplychain_party.exports import ledger_response

from .exports import ORGANISATION_COLUMNS
from .models import BusinessNode, Organisation, Segment


def _require_leader(request: HttpRequest) -> None:
    if not scope_for(request.user).leads_anything:
        raise PermissionDenied


def _organisations(request: HttpRequest):
    """The organisations list's scope and filters (name or unit, kind, segment): its
    page and its export."""
    queryset = scope_for(request.user).organisations().select_related("segment")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(unit__icontains=query))
    kind = request.GET.get("kind", "")
    if kind in Organisation.Kind.values:
        queryset = queryset.filter(kind=kind)
    segment = request.GET.get("segment", "")
    if segment:
        queryset = queryset.filter(segment__code=segment)
    return with_figures(queryset).order_by("path"), query, kind, segment


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation in the user's scope, with headcounts and structure warnings."""
    _require_leader(request)
    queryset, query, kind, segment = _organisations(request)
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_subtree_party_members(attach_warnings(page.object_list))
    return render(
        request,
        "branches/organisation_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "segment": segment,
            "kinds": Organisation.Kind.choices,
            "segments": Segment.objects.all(),
            "columns": ORGANISATION_COLUMNS,
        },
    )


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
    """The organisations list as Excel: its scope, filters and columns, every page."""
    _require_leader(request)
    queryset, _query, _kind, _segment = _organisations(request)
    organisations = attach_subtree_party_members(attach_warnings(queryset))
    return ledger_response(organisations, ORGANISATION_COLUMNS, filename="党组织名册")


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation: its place in the tree, chain mapping, committee, sub-units,
    roster and the structure rules it breaks."""
    _require_leader(request)
    organisation = get_organisation_or_404(request, pk)
    scope = scope_for(request.user)
    annotated = attach_warnings(
        with_figures(
            Organisation.objects.filter(pk=organisation.pk).select_related("segment")
        ).prefetch_related("nodes")
    )
    annotated = attach_subtree_party_members(annotated)[0]
    # Ancestors are the path's prefixes: one query at any depth. Only those in scope link.
    ancestors = [
        (org, scope.covers(org)) for org in Organisation.objects.get_ancestors(organisation)
    ]
    children = attach_subtree_party_members(
        attach_warnings(
            with_figures(Organisation.objects.get_children(organisation).select_related("segment"))
        )
    )
    posts = (
        Post.objects.current()
        .filter(organisation=organisation)
        .select_related("person")
        .in_role_order()
    )
    roster_page = Paginator(
        Person.objects.filter(branch=organisation, is_active=True)
        .select_related("group", "node")
        .in_status_order(),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    partnerships = organisation.partnerships.select_related("partner")
    return render(
        request,
        "branches/organisation_detail.html",
        {
            "organisation": annotated,
            "ancestors": ancestors,
            "children": children,
            "posts": posts,
            "roster": roster_page,
            "partnerships": partnerships,
        },
    )


@login_required
def supply_chain(request: HttpRequest) -> HttpResponse:
    """The chain's segments, their business nodes and the branches mapped to them."""
    scope = scope_for(request.user)
    branches = scope.organisations().branches().order_by("path")
    segments = Segment.objects.prefetch_related(
        Prefetch("nodes", queryset=BusinessNode.objects.order_by("order")),
        Prefetch("organisations", queryset=branches.prefetch_related("nodes"), to_attr="branches"),
    )
    return render(request, "branches/supply_chain.html", {"segments": segments})
