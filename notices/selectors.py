"""Reads for notices: the audience of a sender, what a user may read or manage, and
the lists behind the pages and panels."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from branches.models import Organisation
from members.access import Scope
from members.models import Person, Post

from .models import Notice, NoticeReceipt


def audience(organisation: Organisation) -> QuerySet[Person]:
    """Who a notice from `organisation` goes to: the active party members whose current
    branch (or party group) is in its subtree, and whoever holds a current post there
    (a general branch's secretary may belong to a branch elsewhere).

    Non-party staff (群众) are attached to branches for liaison; party notices are not
    addressed to them. Who has transferred out has another current branch and is not
    included.
    """
    path = organisation.path
    leads_here = Post.objects.current().filter(
        person=OuterRef("pk"), organisation__path__startswith=path
    )
    in_subtree = Q(branch__path__startswith=path) | Q(group__path__startswith=path)
    return Person.objects.active().filter(
        (in_subtree & Q(status__in=Person.PARTY_STATUSES)) | Q(Exists(leads_here))
    )


def _prefixes(path: str) -> list[str]:
    step = Organisation.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def reader_paths(scope: Scope) -> list[str]:
    """The paths of the organisations whose notices reach the user: every ancestor
    (and itself) of their branch, their party group and each organisation they lead."""
    paths: set[str] = set()
    person = scope.person
    if person is not None:
        own = [pk for pk in (person.branch_id, person.group_id) if pk]
        if own and person.is_party_member:
            for path in Organisation.objects.filter(pk__in=own).values_list("path", flat=True):
                paths.update(_prefixes(path))
    for organisation in scope.led:
        paths.update(_prefixes(organisation.path))
    return sorted(paths)


def addressed_to(scope: Scope) -> QuerySet[Notice]:
    """Published notices for the user to read: from their ancestors (and their own
    organisations), and any they were addressed when it was published."""
    if scope.person is None:
        return Notice.objects.none()
    received = NoticeReceipt.objects.filter(notice=OuterRef("pk"), person=scope.person)
    return Notice.objects.published().filter(
        Q(organisation__path__in=reader_paths(scope)) | Q(Exists(received))
    )


def managed_by(scope: Scope) -> QuerySet[Notice]:
    """Notices (drafts and withdrawn ones too) sent by organisations the user leads."""
    return scope.within(Notice.objects.all(), "organisation__path")


def inbox(
    scope: Scope, *, search: str = "", unread_first: bool = True, important_only: bool = False
) -> QuerySet[Notice]:
    """The user's notices, newest first (or unread first), with `is_read`."""
    notices = addressed_to(scope).with_read_by(scope.person).select_related("organisation")
    if search:
        notices = notices.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if important_only:
        notices = notices.important()
    order = ["-published_at", "-pk"]
    return notices.order_by("is_read", *order) if unread_first else notices.order_by(*order)


def sent_by(
    organisation: Organisation, *, search: str = "", status: str = "", important_only: bool = False
) -> QuerySet[Notice]:
    """An organisation's own notices, drafts first then newest, with receipt counts."""
    notices = (
        Notice.objects.filter(organisation=organisation)
        .with_receipt_counts()
        .select_related("organisation", "published_by")
    )
    if search:
        notices = notices.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if status in Notice.Status.values:
        notices = notices.filter(status=status)
    if important_only:
        notices = notices.important()
    # Drafts (no publication time) first: PostgreSQL sorts NULL first when descending.
    return notices.order_by("-published_at", "-created_at", "-pk")


def non_readers(notice: Notice, *, branch_id: int | None = None) -> QuerySet[NoticeReceipt]:
    """The receipts not read yet, by branch then name."""
    receipts = notice.receipts.filter(read_at__isnull=True)
    if branch_id is not None:
        receipts = receipts.filter(branch_id=branch_id)
    return receipts.select_related("person", "person__user", "branch").order_by(
        "branch__path", "person__name", "pk"
    )


def by_branch(notice: Notice) -> list[dict]:
    """Per branch: addressed, read, not read (one aggregate)."""
    rows = (
        notice.receipts.values("branch", "branch__name", "branch__path")
        .annotate(addressed=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by("branch__path")
    )
    return [{**row, "unread": row["addressed"] - row["read"]} for row in rows]


def unread_for(person: Person, *, limit: int = 5) -> list[Notice]:
    """The person's latest unread current notices (the person panel)."""
    return list(
        Notice.objects.current()
        .filter(receipts__person=person, receipts__read_at__isnull=True)
        .select_related("organisation")
        .order_by("-published_at", "-pk")[:limit]
    )
