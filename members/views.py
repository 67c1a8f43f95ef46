from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from branches.models import Organisation
from members.selectors import attach_warnings, with_figures
from supplychain_party.exports import ledger_response
from supplychain_party.links import url_maker

from . import headcounts
from .access import Role, get_person_or_404, scope_for
from .exports import PERSON_COLUMNS
from .models import Membership, Person, Post


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The page that fits the role: the committee and a general branch get an
    overview of their tree, a secretary their branch, a member their own page."""
    scope = scope_for(request.user)
    role = scope.role
    if role == Role.SECRETARY:
        return redirect("branches:organisation_detail", pk=scope.home_organisation.pk)
    if role in (Role.COMMITTEE, Role.GENERAL_BRANCH):
        return _overview(request, scope)
    if role == Role.MEMBER:
        return _member_home(request, scope)
    return render(request, "members/unlinked.html")


def _overview(request: HttpRequest, scope) -> HttpResponse:
    organisations = scope.organisations()
    by_kind = dict(
        organisations.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    if scope.sees_all:
        tops = list(Organisation.objects.get_root_nodes())
    else:
        tops = sorted((org for org in scope.led if org.path in scope.paths), key=lambda o: o.path)
    # The organisations one level below the top ones; the structure rules apply to
    # the branches among them, so only those are counted for them (none below a
    # provincial committee, whose units are committees).
    children = Q(pk__in=[])
    for top in tops:
        children |= Q(path__startswith=top.path, depth=top.depth + 1)
    below = list(
        Organisation.objects.filter(children).select_related("segment").order_by("path")[
            : settings.PAGE_SIZE
        ]
    )
    branches = [org.pk for org in below if org.is_branch]
    warnings = {
        org.pk: org.warnings
        for org in (
            attach_warnings(with_figures(Organisation.objects.filter(pk__in=branches)))
            if branches
            else []
        )
    }
    for organisation in below:
        organisation.warnings = warnings.get(organisation.pk, [])
    # Headcounts from the maintained summary: one row per branch and status.
    by_status, party_members = headcounts.overview(tops, below)
    detail_url = url_maker("branches:organisation_detail")
    kinds = dict(Organisation.Kind.choices)
    sections = [(top, []) for top in tops]
    for organisation in below:
        organisation.subtree_party_members = party_members[organisation.pk]
        organisation.url = detail_url(organisation.pk)
        organisation.kind_label = kinds[organisation.kind]
        for top, rows in sections:
            if organisation.path.startswith(top.path):
                rows.append(organisation)
                break
    return render(
        request,
        "members/overview.html",
        {
            "kinds": [(label, by_kind.get(v, 0)) for v, label in Organisation.Kind.choices],
            "statuses": [(label, by_status.get(v, 0)) for v, label in Person.Status.choices],
            "tops": tops,  # the apps' overview panels show the first one's
            "sections": sections,
            "below": below,
            "warning_count": sum(len(org.warnings) for org in below),
        },
    )


def _member_home(request: HttpRequest, scope) -> HttpResponse:
    person = scope.person
    posts = Post.objects.current().filter(person=person).select_related("organisation")
    secretary = (
        Post.objects.current()
        .filter(organisation_id=person.branch_id, role=Post.Role.SECRETARY)
        .select_related("person")
        .first()
        if person.branch_id
        else None
    )
    return render(
        request,
        "members/member_home.html",
        {"person": person, "posts": posts, "secretary": secretary},
    )


def _people(request: HttpRequest, scope):
    """The people the register lists, with its filters: its page and its export. Leaders
    only: a member without a post is refused (403)."""
    if not scope.leads_anything:
        raise PermissionDenied
    queryset = scope.people().select_related("branch", "group", "node")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query)
            | Q(employee_no__icontains=query)
            | Q(department__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in Person.Status.values:
        queryset = queryset.filter(status=status)
    branch = request.GET.get("branch", "")
    if branch.isdigit():
        queryset = queryset.filter(branch_id=int(branch))
    return queryset.order_by("branch__path", "name", "pk"), query, status, branch


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """The register of people in the user's scope; phone numbers masked."""
    scope = scope_for(request.user)
    queryset, query, status, branch = _people(request, scope)
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/person_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "branch": branch,
            "statuses": Person.Status.choices,
            "branches": scope.organisations().branches().order_by("path").only("pk", "name"),
            "columns": PERSON_COLUMNS,
        },
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """The register as Excel: the page's scope, filters and columns, phones masked."""
    queryset, _query, _status, _branch = _people(request, scope_for(request.user))
    return ledger_response(queryset, PERSON_COLUMNS, filename="党员花名册")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's record: status, memberships over time and posts."""
    person = get_person_or_404(request, pk)
    memberships = Membership.objects.filter(person=person).select_related("branch", "group")
    posts = Post.objects.filter(person=person).select_related("organisation")
    return render(
        request,
        "members/person_detail.html",
        {"person": person, "memberships": memberships, "posts": posts},
    )
