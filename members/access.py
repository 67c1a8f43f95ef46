"""Role-scoped access: the one place that decides who sees what.

A person sees the subtree of every organisation where they hold a current post
(the committee's secretary sees the whole tree, a general branch's members its
subtree, a branch secretary the branch, a group leader the group), and always
their own records. A superuser sees everything. Views, exports and the admin all
go through `scope_for(user)`; none checks roles by itself.

Staff with the permission `members.view_whole_tree` (the committee office's clerks:
the committee admin group has it) *read* the whole tree as the committee does, with
or without a post. It does not let them change anything: a request that writes
(POST, ...) is decided by their posts alone (`scope_for(user, writing=True)`, which
`members.middleware.WholeTreeReadsOnlyMiddleware` makes the scope of such a request).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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

    def landing_organisation(self) -> Organisation | None:
        """The organisation a section's index opens on: the widest one the user leads,
        or the tree's root for those who see everything without leading anything."""
        home = self.home_organisation
        if home is None and self.sees_all:
            home = Organisation.objects.get_root_nodes().first()
        return home

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
WHOLE_TREE_PERMISSION = "members.view_whole_tree"


def reads_whole_tree(user: AbstractBaseUser) -> bool:
    """Staff holding `members.view_whole_tree`. Only staff are asked, so other users'
    pages run no permission query."""
    return user.is_staff and user.has_perm(WHOLE_TREE_PERMISSION)


def scope_for(user: AbstractBaseUser | AnonymousUser, *, writing: bool = False) -> Scope:
    """The user's scope, computed once per request (two queries) and kept on the user.

    `writing=True`: the scope that decides a change, in which the whole-tree
    permission does not count (for everyone else it is the same scope)."""
    if not user.is_authenticated:
        return _ANONYMOUS_SCOPE
    cached = getattr(user, "_party_scope", None)
    if cached is None:
        person = Person.objects.filter(user=user, is_active=True).first()
        led: tuple[Organisation, ...] = ()
        if person is not None:
            posts = Post.objects.current().filter(person=person).select_related("organisation")
            led = tuple({post.organisation for post in posts})
        cached = Scope(person=person, led=led, sees_all=user.is_superuser)
        user._party_write_scope = cached
        if not cached.sees_all and reads_whole_tree(user):
            cached = replace(cached, sees_all=True)
        user._party_scope = cached
    return getattr(user, "_party_write_scope", cached) if writing else cached


def keep_to_writing_scope(user: AbstractBaseUser) -> None:
    """From now on, `scope_for(user)` is the writing scope, for every caller (the
    middleware calls this on requests that may change something)."""
    if user.is_authenticated:
        user._party_scope = scope_for(user, writing=True)


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
