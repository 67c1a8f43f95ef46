"""Reads that join organisations with their people and posts."""

from __future__ import annotations

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery

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
        full_members=SubqueryCount(people.filter(status=Person.Status.FULL)),
        party_members=SubqueryCount(people.filter(status__in=Person.PARTY_STATUSES)),
        people_count=SubqueryCount(people),
        committee_size=SubqueryCount(posts.committee()),
        group_count=SubqueryCount(
            Organisation.objects.filter(
                path__startswith=OuterRef("path"),
                depth=OuterRef("depth") + 1,
                kind=Organisation.Kind.GROUP,
            )
        ),
        has_secretary=Exists(posts.filter(role=Post.Role.SECRETARY)),
        # Party members anywhere below, for general branches and committees.
        subtree_party_members=SubqueryCount(
            Person.objects.filter(
                branch__path__startswith=OuterRef("path"),
                is_active=True,
                status__in=Person.PARTY_STATUSES,
            )
        ),
    )


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


def structure_warnings(organisation: Organisation) -> list[StructureWarning]:
    """The structure warnings of one organisation (fetches its figures)."""
    if not organisation.is_branch:
        return []
    annotated = with_figures(Organisation.objects.filter(pk=organisation.pk)).get()
    return check_branch(figures_of(annotated), Rules.load())
