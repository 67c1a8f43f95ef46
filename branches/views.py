from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.access import get_organisation_or_404, scope_for
from members.models import Person, Post
from members.selectors import (
    attach_subtree_party_members,
    attach_warnings,
    organisation_page,
    with_figures,
)
from supplychain_party.exports import ledger_response
from supplychain_party.links import url_maker

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
    scope = scope_for(request.user)
    # A secretary's own branch (their home page) came with their scope: no query.
    led = next((org for org in scope.led if org.pk == pk), None)
    page = organisation_page(led or get_organisation_or_404(request, pk))
    organisation = page.organisation
    org_url = url_maker("branches:organisation_detail")
    kinds = _labels(Organisation.Kind.choices)
    organisation.kind_label = kinds.get(organisation.kind, organisation.kind)
    # Only ancestors in scope link.
    ancestors = [(org, org_url(org.pk) if scope.covers(org) else None) for org in page.ancestors]
    for child in page.children:
        child.detail_url = org_url(child.pk)
        child.kind_label = kinds.get(child.kind, child.kind)
    person_url = url_maker("members:person_detail")
    roles = _labels(Post.Role.choices)
    for post in page.posts:
        post.person_url = person_url(post.person_id)
        post.role_label = roles.get(post.role, post.role)
    roster = None
    if organisation.is_branch:
        roster = _roster_page(request, organisation, page.roster_size, person_url)
    return render(
        request,
        "branches/organisation_detail.html",
        {
            "organisation": organisation,
            "ancestors": ancestors,
            "children": page.children,
            "posts": page.posts,
            "roster": roster,
            "partnerships": organisation.partnerships.select_related("partner"),
        },
    )


def _roster_page(
    request: HttpRequest, branch: Organisation, size: int, person_url: Callable[[int], str]
) -> Page:
    """A page of the branch's active people in status order (`in_status_order`), each
    with `detail_url` and `status_label` (a `{% url %}` and a display lookup per row
    were a good part of the page's time). `size`: how many there are."""
    people = Person.objects.filter(branch=branch, is_active=True).select_related("group", "node")
    if size <= settings.PAGE_SIZE:
        # Everyone fits on one page: sorted by status here, the sort being stable so
        # that the database's order by name stays within each status. The CASE of
        # `in_status_order` took longer to compile than the query to run.
        everyone = sorted(people.order_by("name", "pk"), key=_status_rank)
        paginator = Paginator(everyone, settings.PAGE_SIZE)
    else:
        paginator = Paginator(people.in_status_order(), settings.PAGE_SIZE)
        paginator.count = size  # counted with the headcounts: spares a COUNT query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    statuses = _labels(Person.Status.choices)
    for person in page.object_list:
        person.detail_url = person_url(person.pk)
        person.status_label = statuses.get(person.status, person.status)
    return page


# `PersonQuerySet.in_status_order`'s ranks: full members first, non-party staff last.
_STATUS_RANKS = {status: rank for rank, status in enumerate(reversed(Person.Status.values))}


def _status_rank(person: Person) -> int:
    return _STATUS_RANKS.get(person.status, len(_STATUS_RANKS))


def _labels(choices) -> dict[str, str]:
    """A field's choices as `get_FOO_display` shows them, translated once (it rebuilds
    the choices for every row)."""
    return {value: str(label) for value, label in choices}


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
