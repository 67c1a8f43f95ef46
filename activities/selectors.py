"""Reads for activities, joint projects and documents, each scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from branches.models import Organisation
from members.access import Scope

from .models import Activity, Document, JointProject


def _prefixes(path: str) -> list[str]:
    """The paths of an organisation and of every organisation above it."""
    step = Organisation.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _own_paths(scope: Scope) -> list[str]:
    """Where the user stands in the tree: their branch, group and what they lead."""
    paths = list(scope.paths)
    person = scope.person
    if person is not None:
        # Both already loaded with the scope's person? Not always: fetch the paths.
        paths += list(
            Organisation.objects.filter(
                pk__in=[pk for pk in (person.branch_id, person.group_id) if pk]
            ).values_list("path", flat=True)
        )
    return paths


def visible_activities(scope: Scope) -> QuerySet[Activity]:
    """Activities of the user's subtrees, those organised above the user (a company
    forum is everyone's), and those the user attended or spoke at."""
    activities = Activity.objects.all()
    if scope.sees_all:
        return activities
    condition = Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(organisation__path__startswith=path)
    above = {prefix for path in _own_paths(scope) for prefix in _prefixes(path)}
    if above:
        condition |= Q(organisation__path__in=sorted(above))
    if scope.person is not None:
        condition |= Q(attendances__person=scope.person) | Q(speakers__person=scope.person)
        return activities.filter(pk__in=Activity.objects.filter(condition).values("pk"))
    return activities.filter(condition)


def activities_for_list(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return (
        queryset.select_related("organisation")
        .annotate(
            attendee_count=Count("attendances", distinct=True),
            speaker_count=Count("speakers", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def visible_projects(scope: Scope) -> QuerySet[JointProject]:
    projects = JointProject.objects.all()
    if scope.sees_all:
        return projects
    condition = Q(pk__in=[])
    for path in scope.paths:
        condition |= Q(partnership__organisation__path__startswith=path)
    if scope.person is not None:
        condition |= Q(lead=scope.person) | Q(members=scope.person)
        return projects.filter(pk__in=JointProject.objects.filter(condition).values("pk"))
    return projects.filter(condition)


def visible_documents(scope: Scope) -> QuerySet[Document]:
    """Company-wide documents for every logged-in user; a subtree's documents for the
    people in that subtree and those who lead it or above it."""
    documents = Document.objects.all()
    if scope.sees_all:
        return documents
    condition = Q(visibility=Document.Visibility.COMPANY)
    for path in scope.paths:
        condition |= Q(organisation__path__startswith=path)
    above = {prefix for path in _own_paths(scope) for prefix in _prefixes(path)}
    if above:
        condition |= Q(organisation__path__in=sorted(above))
    return documents.filter(condition)


def documents_for_list(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("organisation").order_by("category", "title", "pk")
