"""Writes to people, memberships and posts: the one path the web, the admin, the
importers and the demo loader all use."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Organisation

from .models import Membership, Person, Post


@transaction.atomic
def membership_start(
    *,
    person: Person,
    branch: Organisation,
    on: datetime.date,
    group: Organisation | None = None,
) -> Membership:
    """Move a person into a branch (and group) from `on`, closing the open membership.

    Keeps `Person.branch` and `Person.group` in step with the history.
    """
    if branch.kind != Organisation.Kind.BRANCH:
        raise ValidationError(_("A membership is of a branch, not of a %(kind)s.")
                              % {"kind": branch.get_kind_display()})
    # Ask the database, not the objects passed in: adding a sibling to a tree sorted by
    # name renumbers paths, so a caller's copy of `branch` or `group` may be stale.
    if group is not None and not Organisation.objects.filter(
        pk=group.pk, kind=Organisation.Kind.GROUP, depth=branch.depth + 1,
        path__startswith=Organisation.objects.filter(pk=branch.pk).values("path"),
    ).exists():
        raise ValidationError(_("The party group %(group)s is not in the branch %(branch)s.")
                              % {"group": group, "branch": branch})
    current = (
        Membership.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.branch_id == branch.pk and current.group_id == (group.pk if group else None):
            return current
        if on == current.started_on:
            # A correction on the day the membership began: no zero-length history row.
            current.branch, current.group = branch, group
            current.save(update_fields=["branch", "group"])
            person.branch, person.group = branch, group
            person.save(update_fields=["branch", "group"])
            return current
        if on < current.started_on:
            raise ValidationError(
                _("The new membership cannot start before the current one (%(date)s).")
                % {"date": current.started_on}
            )
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    membership = Membership.objects.create(person=person, branch=branch, group=group, started_on=on)
    person.branch = branch
    person.group = group
    person.save(update_fields=["branch", "group"])
    return membership


@transaction.atomic
def membership_end(*, person: Person, on: datetime.date) -> None:
    """Close the person's open membership (transfer out, death, leaving the company)."""
    # Saved one by one, not update(): each end is a change the audit trail records.
    for membership in Membership.objects.filter(person=person, ended_on__isnull=True):
        membership.ended_on = on
        membership.save(update_fields=["ended_on"])
    person.branch = None
    person.group = None
    person.save(update_fields=["branch", "group"])


@transaction.atomic
def post_assign(
    *,
    person: Person,
    organisation: Organisation,
    role: str,
    on: datetime.date,
    is_part_time: bool = True,
    business_post: str = "",
) -> Post:
    """Give a person a post; a group leader leads a group, the other posts a committee."""
    if (role == Post.Role.GROUP_LEADER) != (organisation.kind == Organisation.Kind.GROUP):
        raise ValidationError(_("A party group has a group leader, and only a group does."))
    if not person.is_party_member:
        raise ValidationError(_("%(person)s is not a party member and cannot hold a post.")
                              % {"person": person})
    if organisation.kind == Organisation.Kind.BRANCH and person.branch_id != organisation.pk:
        raise ValidationError(_("%(person)s does not belong to %(org)s.")
                              % {"person": person, "org": organisation})
    if organisation.kind == Organisation.Kind.GROUP and person.group_id != organisation.pk:
        raise ValidationError(_("%(person)s is not in the party group %(org)s.")
                              % {"person": person, "org": organisation})
    existing = Post.objects.filter(
        person=person, organisation=organisation, role=role, ended_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    if role == Post.Role.SECRETARY and Post.objects.filter(
        organisation=organisation, role=role, ended_on__isnull=True
    ).exists():
        raise ValidationError(_("%(org)s already has a secretary; end that post first.")
                              % {"org": organisation})
    return Post.objects.create(
        person=person,
        organisation=organisation,
        role=role,
        started_on=on,
        is_part_time=is_part_time,
        business_post=business_post,
    )


@transaction.atomic
def post_end(*, post: Post, on: datetime.date) -> Post:
    """End a post from `on`."""
    if on < post.started_on:
        raise ValidationError(_("A post cannot end before it starts."))
    post.ended_on = on
    post.save(update_fields=["ended_on"])
    return post


# Fields of a person the register's forms and imports set; branch and group follow the
# memberships (`membership_start`), the login is user administration.
PERSON_FIELDS = (
    "name",
    "gender",
    "phone",
    "department",
    "status",
    "joined_party_on",
    "full_member_on",
)


@transaction.atomic
def person_create(*, employee_no: str, name: str, **fields) -> Person:
    """Add someone to the register (in no branch yet: see `membership_start`).

    Refuses (ValidationError, by field) what the model refuses: a taken employee
    number, an unknown status, full membership before admission, ..."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create() does not set {sorted(unknown)}")
    person = Person(employee_no=employee_no, name=name, **fields)
    person.full_clean(exclude=["branch", "group", "user", "node"])
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> dict[str, tuple]:
    """Change a person's details. Returns {field: (old, new)} for what changed, and saves
    (one history row) only when something did: the same values twice write nothing."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() does not set {sorted(unknown)}")
    changes = {
        name: (getattr(person, name), value)
        for name, value in fields.items()
        if getattr(person, name) != value
    }
    if not changes:
        return {}
    for name, (_old, new) in changes.items():
        setattr(person, name, new)
    try:
        person.full_clean(exclude=["branch", "group", "user", "node"], validate_unique=False)
    except ValidationError:
        for name, (old, _new) in changes.items():  # leave the caller's copy as it was
            setattr(person, name, old)
        raise
    person.save(update_fields=list(changes))
    return changes
