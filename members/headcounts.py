"""Keeping `Headcount`: the active people of each branch by political status.

A committee's overview needs everyone's status under it and each unit's party
members. Counting 200,000 people per request (even from an index) took most of the
page; the overview now adds up one row per branch and status instead.

The rows are exact at every commit:
- saving or deleting a person recounts, in the same transaction, the branch they
  were counted in and the one they are in now (`recount`), under a per-branch lock so
  that two people joining one branch at once both end up counted;
- writers that bypass `save()` (the scale generator's bulk inserts) call
  `recount_all()`, which the hourly overview refresh and `manage.py refresh_summaries`
  also run, so a row can never stay wrong for long whatever wrote the people.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from branches.models import Organisation

from .models import Headcount, Person

_LOCK_KEY = 0x68656164  # "head": per-branch locks live in this namespace
_TABLE_LOCK_KEY = 0x68656164 + 1


def _counts(people) -> list[Headcount]:
    rows = people.filter(is_active=True, branch__isnull=False).order_by()
    return [
        Headcount(branch_id=branch_id, path=path, status=status, people=n)
        for branch_id, path, status, n in rows.values_list(
            "branch_id", "branch__path", "status"
        ).annotate(n=Count("pk"))
    ]


def recount(branch_ids: Iterable[int | None]) -> None:
    """Recount the branches from the people table, in the caller's transaction."""
    ids = sorted({pk for pk in branch_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A full recount holds this exclusively; per-branch recounts share it.
                cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_TABLE_LOCK_KEY])
                for pk in ids:  # sorted: two recounts never wait on each other in a ring
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_KEY, pk])
        Headcount.objects.filter(branch_id__in=ids).delete()
        Headcount.objects.bulk_create(_counts(Person.objects.filter(branch_id__in=ids)))


def recount_all() -> int:
    """Recount every branch; returns the rows written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TABLE_LOCK_KEY])
        rows = _counts(Person.objects.all())
        Headcount.objects.all().delete()
        Headcount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def person_saved(sender, instance: Person, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's people are recounted by whoever loads them
        return
    now = (instance.branch_id, instance.status, instance.is_active)
    before = getattr(instance, "counted_as", None)
    if before != now:
        recount([instance.branch_id, before[0] if before else None])
        instance.counted_as = now


def paths_follow(sender, **kwargs) -> None:
    """After the tree's paths changed (`branches.models.tree_paths_changed`: a move, or
    an insertion among sorted siblings): the copied paths that no longer match their
    branch's, in one UPDATE; none when nothing moved."""
    branch = Organisation.objects.filter(pk=OuterRef("branch")).values("path")[:1]
    Headcount.objects.exclude(path=F("branch__path")).update(path=Subquery(branch))


def person_deleted(sender, instance: Person, **kwargs) -> None:
    before = getattr(instance, "counted_as", None)
    recount([instance.branch_id, before[0] if before else None])


# -- reads --------------------------------------------------------------------------------


def _below(tops: list[Organisation]) -> Q:
    below = Q(pk__in=[])
    for top in tops:
        below |= Q(path__startswith=top.path)
    return below


def overview(
    tops: list[Organisation], below: list[Organisation]
) -> tuple[dict[str, int], dict[int, int]]:
    """What a leader's overview shows of the people: (status -> active people in the
    subtrees of `tops`, organisation pk -> active party members in the subtree of each
    of `below`, the organisations one level under `tops`).

    One GROUP BY (unit, status) over the headcounts of the subtrees: a few rows per
    organisation below, whatever the number of branches."""
    statuses: dict[str, int] = {}
    party_members = dict.fromkeys((org.pk for org in below), 0)
    lengths = {len(org.path) for org in below} or {max((len(t.path) for t in tops), default=0)}
    if len(lengths) > 1:  # tops at different depths: the units differ in length
        return by_status(tops), party_members_below(below)
    pk_at = {org.path: org.pk for org in below}
    rows = (
        Headcount.objects.filter(_below(tops))
        .annotate(unit=Substr("path", 1, lengths.pop()))
        .order_by()
        .values_list("unit", "status")
        .annotate(n=Sum("people"))
    )
    for unit, status, n in rows:
        statuses[status] = statuses.get(status, 0) + n
        if unit in pk_at and status in Person.PARTY_STATUSES:
            party_members[pk_at[unit]] += n
    return statuses, party_members


def by_status(tops: list[Organisation], *, everyone: bool = False) -> dict[str, int]:
    """status -> active people in the subtrees of `tops` (of the whole tree when
    `everyone`). One query."""
    rows = Headcount.objects.all() if everyone else Headcount.objects.filter(_below(tops))
    return dict(rows.order_by().values_list("status").annotate(n=Sum("people")))


def party_members_below(organisations: list[Organisation]) -> dict[int, int]:
    """organisation pk -> active party members in its subtree, by path prefix: one
    query per depth among `organisations` (one for the children of one organisation)."""
    result = dict.fromkeys((org.pk for org in organisations), 0)
    by_length: dict[int, dict[str, int]] = {}
    for org in organisations:
        by_length.setdefault(len(org.path), {})[org.path] = org.pk
    for length, pks in by_length.items():
        rows = (
            # Filtered by the parents' paths: usually one prefix, however many children.
            Headcount.objects.filter(
                Q(status__in=Person.PARTY_STATUSES)
                & _below([Organisation(path=path[: -Organisation.steplen] or path) for path in pks])
            )
            .annotate(unit=Substr("path", 1, length))
            .order_by()
            .values_list("unit")
            .annotate(n=Sum("people"))
        )
        for unit, n in rows:
            if unit in pks:
                result[pks[unit]] = n
    return result
