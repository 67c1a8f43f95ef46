"""Role-scoped access: the one place that decides who sees what.

A person sees the subtree of every organisation where they hold a current post
(the committee's secretary sees the whole tree, a general branch's members its
subtree, a branch secretary the branch, a group leader the group), and always
their own records. A superuser sees everything. Views, exports and the admin all
go through `scope_for(user)`; none checks roles by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation

from .models import Person, Post


class Role:
    """What a user's home page is about: the widest organisation they lead."""

    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    SECRETARY = "secretary"
    MEMBER = "member"
    UNLINKED = "unlinked"  # a login with no person in the register and no post

    LABELS = {
        COMMITTEE: _("Party committee"),
        GENERAL_BRANCH: _("General branch"),
        SECRETARY: _("Branch secretary"),
        MEMBER: _("Member"),
        UNLINKED: _("Account not linked"),
    }

_ROLE_OF_KIND = {
    Organisation.Kind.COMMITTEE: Role.COMMITTEE,
    Organisation.Kind.GENERAL_BRANCH: Role.GENERAL_BRANCH,
    Organisation.Kind.BRANCH: Role.SECRETARY,
    Organisation.Kind.GROUP: Role.MEMBER,
}


@dataclass(frozen=True)
class Scope:
    person: Person | None
    led: tuple[Organisation, ...] = ()
    sees_all: bool = False
    paths: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        # Drop paths already covered by a shorter one, so filters stay small.
        paths: list[str] = []
        for path in sorted(org.path for org in self.led):
            if not any(path.startswith(p) for p in paths):
                paths.append(path)
        object.__setattr__(self, "paths", tuple(paths))

    @property
    def role(self) -> str:
        if self.sees_all:
            return Role.COMMITTEE
        if self.led:
            widest = min(self.led, key=lambda org: org.depth)
            return _ROLE_OF_KIND[widest.kind]
        return Role.MEMBER if self.person else Role.UNLINKED

    @property
    def role_label(self) -> str:
        return str(Role.LABELS[self.role])

    @property
    def leads_anything(self) -> bool:
        return self.sees_all or bool(self.paths)

    @property
    def home_organisation(self) -> Organisation | None:
        """The widest organisation the user leads (the one their home page shows)."""
        if not self.led:
            return None
        return min(self.led, key=lambda org: (org.depth, org.path))

    def within(self, queryset: QuerySet, *path_fields: str) -> QuerySet:
        """Rows whose organisation (reached through any of `path_fields`) is in scope."""
        if self.sees_all:
            return queryset
        if not self.paths:
            return queryset.none()
        condition = Q()
        for path_field in path_fields:
            for path in self.paths:
                condition |= Q(**{f"{path_field}__startswith": path})
        return queryset.filter(condition)

    def organisations(self) -> QuerySet[Organisation]:
        return self.within(Organisation.objects.all(), "path")

    def people(self) -> QuerySet[Person]:
        """People in the user's subtrees, those holding a post there (a general branch's
        secretary may belong to a branch elsewhere), and the user themself."""
        queryset = Person.objects.all()
        if self.sees_all:
            return queryset
        condition = Q(pk=self.person.pk) if self.person else Q(pk__in=[])
        for path in self.paths:
            condition |= Q(branch__path__startswith=path) | Q(group__path__startswith=path)
        if self.paths:
            leads_here = self.within(
                Post.objects.current().filter(person=OuterRef("pk")), "organisation__path"
            )
            condition |= Q(Exists(leads_here))
        return queryset.filter(condition)

    def covers(self, organisation: Organisation | None) -> bool:
        if self.sees_all:
            return True
        if organisation is None:
            return False
        return any(organisation.path.startswith(path) for path in self.paths)


_ANONYMOUS_SCOPE = Scope(person=None)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The user's scope, computed once per request (two queries) and kept on the user."""
    if not user.is_authenticated:
        return _ANONYMOUS_SCOPE
    cached = getattr(user, "_party_scope", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user=user, is_active=True).first()
    led: tuple[Organisation, ...] = ()
    if person is not None:
        posts = Post.objects.current().filter(person=person).select_related("organisation")
        led = tuple({post.organisation for post in posts})
    scope = Scope(person=person, led=led, sees_all=user.is_superuser)
    user._party_scope = scope
    return scope


def get_organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    """The organisation, or 404 when it is outside the user's scope."""
    try:
        return scope_for(request.user).organisations().get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def get_person_or_404(request: HttpRequest, pk: int) -> Person:
    """The person, or 404 when they are outside the user's scope."""
    try:
        return (
            scope_for(request.user)
            .people()
            .select_related("branch", "group", "node", "user")
            .get(pk=pk)
        )
    except Person.DoesNotExist:
        raise Http404 from None
