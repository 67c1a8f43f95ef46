"""Reads for pledges, cards and designations."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from branches.models import Organisation
from members.models import Person, Post

from .models import Designation, Pledge


def designations_for_list(organisation: Organisation) -> QuerySet[Designation]:
    """The subtree's designations with their branch, node and responsible members
    (one query for the rows, one for all the responsible members)."""
    return (
        Designation.objects.filter(organisation__path__startswith=organisation.path)
        .select_related("organisation", "node")
        .prefetch_related(Prefetch("responsible", queryset=Person.objects.order_by("name")))
        .order_by("organisation__path", "kind", "name", "pk")
    )


def search_designations(queryset: QuerySet[Designation], params) -> QuerySet[Designation]:
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(location__icontains=q) | Q(responsible__name__icontains=q)
        ).distinct()
    kind = params.get("kind", "")
    if kind in Designation.Kind.values:
        queryset = queryset.filter(kind=kind)
    status = params.get("status", "")
    if status in Designation.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def pledges_for_review(organisation: Organisation, year: int) -> QuerySet[Pledge]:
    """The subtree's pledges of a year that the member has sent (drafts are private)."""
    return (
        Pledge.objects.filter(branch__path__startswith=organisation.path, year=year)
        .exclude(status=Pledge.Status.DRAFT)
        .select_related("person", "branch", "reviewed_by")
        .order_by("status", "person__name", "pk")
    )


def pledge_tally(organisation: Organisation, year: int) -> dict[str, int]:
    """Approved pledges against party members in the subtree (two aggregates)."""
    members = (
        Person.objects.party_members()
        .active()
        .filter(branch__path__startswith=organisation.path)
        .count()
    )
    counts = Pledge.objects.filter(branch__path__startswith=organisation.path, year=year).aggregate(
        approved=Count("pk", filter=Q(status=Pledge.Status.APPROVED)),
        pending=Count("pk", filter=Q(status=Pledge.Status.SUBMITTED)),
    )
    return {"members": members, **counts}


def card_of(person: Person, *, viewer: Person | None, year: int | None = None) -> dict:
    """What the member card shows: the person, current posts and the year's pledge.

    Others see only an approved pledge; the member also sees their own draft."""
    year = year or timezone.localdate().year
    posts = list(
        Post.objects.current().filter(person=person).select_related("organisation").in_role_order()
    )
    pledges = Pledge.objects.filter(person=person, year=year)
    if viewer is None or viewer.pk != person.pk:
        pledges = pledges.approved()
    designations = list(
        Designation.objects.active().filter(responsible=person).select_related("organisation")
    )
    return {
        "person": person,
        "posts": posts,
        "pledge": pledges.first(),
        "year": year,
        "designations": designations,
    }
