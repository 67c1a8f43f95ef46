"""Reads that join organisations with their people and posts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from branches.models import Organisation
from branches.rules import BranchFigures, Rules, StructureWarning, check_branch

from .models import Person, Post


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery. Separate subqueries never multiply each
    other's rows the way several COUNTs over joins would."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra) -> None:
        super().__init__(queryset.order_by().values("pk"), **extra)


def with_figures(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate each organisation with its headcounts and committee.

    A fixed number of subqueries in one statement, whatever the number of rows.
    """
    # A branch's people have it as `branch`; a party group's have it as `group`.
    people = Person.objects.filter(
        Q(branch=OuterRef("pk")) | Q(group=OuterRef("pk")), is_active=True
    )
    posts = Post.objects.current().filter(organisation=OuterRef("pk"))
    return queryset.annotate(
        full_members=_for_units(SubqueryCount(people.filter(status=Person.Status.FULL))),
        party_members=_for_units(SubqueryCount(people.filter(status__in=Person.PARTY_STATUSES))),
        people_count=_for_units(SubqueryCount(people)),
        committee_size=SubqueryCount(posts.committee()),
        group_count=_for_units(
            SubqueryCount(
                Organisation.objects.filter(
                    path__startswith=OuterRef("path"),
                    depth=OuterRef("depth") + 1,
                    kind=Organisation.Kind.GROUP,
                )
            )
        ),
        has_secretary=Exists(posts.filter(role=Post.Role.SECRETARY)),
    )


def _for_units(count: SubqueryCount) -> Case:
    """A headcount only branches and groups have people for: PostgreSQL and SQLite
    run the subquery only for those rows, so a list of committees costs nothing."""
    return Case(
        When(kind__in=[Organisation.Kind.BRANCH, Organisation.Kind.GROUP], then=count),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_subtree_party_members(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate `subtree_party_members` in SQL, for the admin to sort by. A correlated
    `path LIKE` per row: fine for a page of the admin, too slow for thousands of rows
    (pages use `attach_subtree_party_members`)."""
    return queryset.annotate(
        subtree_party_members=SubqueryCount(
            Person.objects.filter(
                branch__path__startswith=OuterRef("path"),
                is_active=True,
                status__in=Person.PARTY_STATUSES,
            )
        )
    )


def subtree_counts(organisations, people: QuerySet[Person]) -> dict[int, int]:
    """How many of `people` belong to a branch in each organisation's subtree.

    Two queries whatever the number of organisations: the branches below (their
    paths), then the people counted per branch, added up the tree in Python. A
    correlated `path LIKE` per organisation would scan the people once per
    organisation; grouping by `branch_id` alone reads the partial index
    `person_active_branch_status` without touching the table.
    """
    organisations = list(organisations)
    if not organisations:
        return {}
    return roll_up(organisations, branch_counts(organisations, people))


def branch_counts(organisations, people: QuerySet[Person], *fields: str):
    """(branch path, *fields, count) of `people` per branch below `organisations`."""
    branches = Organisation.objects.filter(kind=Organisation.Kind.BRANCH)
    tops = _top_paths(org.path for org in organisations)
    if len(tops) <= _PREFIX_FILTER_LIMIT:
        below = Q(pk__in=[])
        for path in tops:
            below |= Q(path__startswith=path)
        branches = branches.filter(below)
    paths = dict(branches.values_list("pk", "path"))
    if len(paths) <= _IN_LIST_LIMIT:
        people = people.filter(branch_id__in=list(paths))
    rows = (
        people.filter(branch__isnull=False)
        .order_by()
        .values_list("branch_id", *fields)
        .annotate(n=Count("pk"))
    )
    return [(paths[branch_id], *rest) for branch_id, *rest in rows if branch_id in paths]


# Beyond this many branches, counting everyone and dropping the rest is cheaper.
_IN_LIST_LIMIT = 500


def roll_up(organisations, rows) -> dict[int, int]:
    """Add (branch path, count) rows up the tree: each organisation's subtree total.
    The count is each row's last item."""
    by_path: dict[str, int] = defaultdict(int)
    steplen = Organisation.steplen
    for branch_path, *_rest, n in rows:
        if branch_path is None:  # someone without a branch
            continue
        for end in range(steplen, len(branch_path) + 1, steplen):
            by_path[branch_path[:end]] += n
    return {org.pk: by_path.get(org.path, 0) for org in organisations}


# Beyond this many separate subtrees, counting everyone is cheaper than OR-ing prefixes.
_PREFIX_FILTER_LIMIT = 20


def _top_paths(paths) -> list[str]:
    """The paths not below another of them: the roots of the subtrees they span."""
    tops: list[str] = []
    for path in sorted(set(paths)):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops


def attach_subtree_party_members(organisations) -> list[Organisation]:
    """Set `.subtree_party_members`, the active party members anywhere below each
    organisation (for general branches and committees). Two queries."""
    organisations = list(organisations)
    counts = subtree_counts(
        organisations, Person.objects.active().filter(status__in=Person.PARTY_STATUSES)
    )
    for organisation in organisations:
        organisation.subtree_party_members = counts[organisation.pk]
    return organisations


def figures_of(organisation: Organisation) -> BranchFigures:
    """The figures of an organisation annotated by `with_figures`."""
    return BranchFigures(
        full_members=organisation.full_members,
        party_members=organisation.party_members,
        committee_size=organisation.committee_size,
        has_secretary=organisation.has_secretary,
        group_count=organisation.group_count,
    )


def attach_warnings(organisations, rules: Rules | None = None) -> list[Organisation]:
    """Set `.warnings` on each branch annotated by `with_figures` (other kinds get
    none), loading the rules once for the whole list."""
    organisations = list(organisations)
    rules = rules or Rules.load()
    for organisation in organisations:
        organisation.warnings = (
            check_branch(figures_of(organisation), rules) if organisation.is_branch else []
        )
    return organisations


@dataclass(frozen=True)
class OrganisationPage:
    """What an organisation's page shows of the tree, read by `organisation_page`."""

    organisation: Organisation
    ancestors: list[Organisation]
    children: list[Organisation]
    posts: list[Post]  # the organisation's current posts, in role order, with the person
    roster_size: int  # its active people with it as their branch


_UNITS = (Organisation.Kind.BRANCH, Organisation.Kind.GROUP)


def organisation_page(organisation: Organisation) -> OrganisationPage:
    """An organisation with its ancestors and children, the organisation and its
    children carrying what `with_figures` annotates and `.warnings`
    (`attach_warnings`); `.subtree_party_members` where the page shows it (the
    organisation unless a branch, the children other than branches and groups).

    Four queries whatever the size of the tree (the organisations, their people
    counted, their posts, the structure rules), two more for the subtree counts when
    a committee, general branch or group is shown. The page used to run `with_figures`
    twice: its correlated subqueries cost more to compile than to run, and each
    counted one organisation's people at a time.
    """
    rows = _family(organisation)
    current = next((org for org in rows if org.pk == organisation.pk), None)
    if current is None:  # the tree was renumbered since `organisation` was read
        organisation = Organisation.objects.get(pk=organisation.pk)
        rows = _family(organisation)
        current = next(org for org in rows if org.pk == organisation.pk)
    steplen = Organisation.steplen
    depth = current.depth
    ancestors = [org for org in rows if org.depth < depth]
    children = [org for org in rows if org.depth == depth + 1]
    shown = [current, *children]

    people = _people_counts([org.pk for org in shown if org.kind in _UNITS])
    committee, secretaries, posts = _post_figures(current, shown)
    groups = Counter(
        org.path[:-steplen]
        for org in rows
        if org.depth > depth and org.kind == Organisation.Kind.GROUP
    )
    for org in shown:
        counts = people.get(org.pk, _NOBODY) if org.kind in _UNITS else _NOBODY
        org.full_members = counts[Person.Status.FULL]
        org.party_members = counts["party"]
        org.people_count = counts["all"]
        org.committee_size = committee[org.pk]
        org.has_secretary = org.pk in secretaries
        org.group_count = groups[org.path] if org.kind in _UNITS else 0
    if any(org.is_branch for org in shown):
        attach_warnings(shown)
    else:  # nothing to check: spare the rules' query
        for org in shown:
            org.warnings = []

    below = [org for org in shown if org.kind not in _UNITS]
    if current.is_group:
        below.insert(0, current)
    if below:
        attach_subtree_party_members(below)
    return OrganisationPage(
        organisation=current,
        ancestors=ancestors,
        children=children,
        posts=posts,
        roster_size=people.get(current.pk, _NOBODY)["branch"] if current.is_branch else 0,
    )


def _family(organisation: Organisation) -> list[Organisation]:
    """One query: the ancestors and the organisation (its path's prefixes), the
    children, and the children's groups (for their `group_count`), by path."""
    path, depth = organisation.path, organisation.depth
    prefixes = [
        path[:end] for end in range(Organisation.steplen, len(path) + 1, Organisation.steplen)
    ]
    return list(
        Organisation.objects.filter(
            Q(path__in=prefixes)
            | (
                Q(path__startswith=path)
                & (Q(depth=depth + 1) | Q(depth=depth + 2, kind=Organisation.Kind.GROUP))
            )
        )
        .select_related("segment")
        .order_by("path")
    )


_NOBODY: Counter = Counter()


def _people_counts(unit_ids: list[int]) -> dict[int, Counter]:
    """Per branch or group: its active people (`all`), party members (`party`) and
    full members, as `with_figures` counts them (everyone with it as their branch or
    their group), and those with it as their branch (`branch`). One query."""
    counts: dict[int, Counter] = defaultdict(Counter)
    if not unit_ids:
        return counts
    rows = (
        Person.objects.filter(Q(branch_id__in=unit_ids) | Q(group_id__in=unit_ids), is_active=True)
        .order_by()
        .values_list("branch_id", "group_id", "status")
        .annotate(n=Count("pk"))
    )
    wanted = set(unit_ids)
    for branch_id, group_id, status, n in rows:
        if branch_id in wanted:
            counts[branch_id]["branch"] += n
        for unit_id in {branch_id, group_id} & wanted:
            figures = counts[unit_id]
            figures["all"] += n
            figures[status] += n
            if status in Person.PARTY_STATUSES:
                figures["party"] += n
    return counts


def _post_figures(
    organisation: Organisation, shown: list[Organisation]
) -> tuple[Counter, set[int], list[Post]]:
    """The committee size and whether a secretary is in post, of each organisation
    shown, and the organisation's own current posts in role order: one query."""
    committee: Counter = Counter()
    secretaries: set[int] = set()
    own: list[Post] = []
    posts = (
        Post.objects.current()
        .filter(organisation_id__in=[org.pk for org in shown])
        .select_related("person")
        .order_by()  # sorted below; the default order joins the organisations
    )
    for post in posts:
        if post.role != Post.Role.GROUP_LEADER:
            committee[post.organisation_id] += 1
        if post.role == Post.Role.SECRETARY:
            secretaries.add(post.organisation_id)
        if post.organisation_id == organisation.pk:
            own.append(post)
    # `PostQuerySet.in_role_order`'s order, for a handful of rows in Python: its CASE
    # took longer to compile than the whole query to run.
    own.sort(
        key=lambda post: (_ROLE_RANK.get(post.role, len(_ROLE_RANK)), post.started_on, post.pk)
    )
    return committee, secretaries, own


_ROLE_RANK = {role: rank for rank, role in enumerate(Post.Role.values)}


def structure_warnings(organisation: Organisation) -> list[StructureWarning]:
    """The structure warnings of one organisation (fetches its figures)."""
    if not organisation.is_branch:
        return []
    annotated = with_figures(Organisation.objects.filter(pk=organisation.pk)).get()
    return check_branch(figures_of(annotated), Rules.load())
