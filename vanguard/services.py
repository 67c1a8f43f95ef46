"""Writes for pledges and designations: one path each, used by the pages, the admin
and the demo. Every function checks who may act and refuses with a clear message;
nothing is half-saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import BusinessNode, Organisation
from members.access import scope_for
from members.models import Person, Post
from supplychain_party.concurrency import check_version, version_token

from .models import Designation, Pledge

PLEDGE_MAX_CHARS = 1000


def _refuse(*messages: str) -> None:
    raise ValidationError(list(messages))


# --- Pledges ------------------------------------------------------------------------


def pledge_version(pledge: Pledge | None) -> str:
    """The pledge page's version token (its own token when there is no pledge yet)."""
    return version_token(pledge, ["text", "status"])


@transaction.atomic
def pledge_save(
    *, person: Person, year: int, text: str, submit: bool, by: AbstractBaseUser | None,
    version: str = "",
) -> Pledge:
    """The member writes (or rewrites) their own pledge for a year, as a draft or sent
    to the branch secretary. One pledge per member per year; an approved or pending
    pledge is not changed. `by=None` is the demo loader writing on the member's behalf.
    `version` is the page's `pledge_version`: a pledge saved since (in another tab,
    or returned by the secretary) is not overwritten."""
    text = (text or "").strip()
    errors = []
    if by is not None and scope_for(by).person != person:
        errors.append(_("Members write their own pledge."))
    if not person.is_party_member:
        errors.append(_("Only party members make a public pledge."))
    if person.branch_id is None:
        errors.append(_("You belong to no branch, so there is nobody to approve a pledge."))
    if not text:
        errors.append(_("Write the pledge."))
    elif len(text) > PLEDGE_MAX_CHARS:
        errors.append(_("Keep the pledge within %(n)d characters.") % {"n": PLEDGE_MAX_CHARS})
    this_year = timezone.localdate().year
    if year not in (this_year, this_year + 1):
        errors.append(_("A pledge is made for this year or the next."))
    if errors:
        _refuse(*errors)
    status = Pledge.Status.SUBMITTED if submit else Pledge.Status.DRAFT
    pledge = Pledge.objects.select_for_update().filter(person=person, year=year).first()
    if pledge is None:
        try:
            with transaction.atomic():
                return Pledge.objects.create(
                    person=person,
                    branch_id=person.branch_id,
                    year=year,
                    text=text,
                    status=status,
                )
        except IntegrityError:
            # A double submit: the first one made the pledge; update it below.
            pledge = Pledge.objects.select_for_update().get(person=person, year=year)
    if not pledge.is_editable:
        if pledge.status == Pledge.Status.APPROVED:
            _refuse(
                _("Your pledge for %(year)d is approved; it can no longer be changed.")
                % {"year": year}
            )
        if pledge.text == text and submit:
            return pledge  # the same submission twice
        _refuse(
            _(
                "Your pledge for %(year)d is awaiting approval; it can be changed once "
                "the secretary returns it."
            )
            % {"year": year}
        )
    # The same text saved twice (a double click) overwrites nothing: no conflict.
    if (pledge.text, pledge.status) != (text, status):
        check_version(version, pledge_version(pledge))
    pledge.text = text
    pledge.status = status
    pledge.branch_id = person.branch_id
    pledge.save()
    return pledge


def _check_reviewer(pledge: Pledge, by: AbstractBaseUser | None) -> Person | None:
    if by is None:  # the demo loader: the branch's secretary is recorded as reviewer
        post = (
            Post.objects.current()
            .filter(organisation=pledge.branch, role=Post.Role.SECRETARY)
            .first()
        )
        return post.person if post else None
    scope = scope_for(by)
    if not scope.covers(pledge.branch):
        _refuse(
            _("You do not lead %(org)s, so you cannot review its pledges.")
            % {"org": pledge.branch.name}
        )
    if scope.person is not None and scope.person.pk == pledge.person_id and not scope.sees_all:
        _refuse(_("Your own pledge is reviewed by another leader."))
    return scope.person


def _review(
    pledge: Pledge, by: AbstractBaseUser | None, *, status: str, reason: str = ""
) -> Pledge:
    reviewer = _check_reviewer(pledge, by)
    # A conditional update: of two reviewers clicking at once, only one moves it.
    changed = Pledge.objects.filter(pk=pledge.pk, status=Pledge.Status.SUBMITTED).update(
        status=status,
        return_reason=reason,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    if not changed:
        _refuse(_("This pledge is no longer awaiting approval."))
    pledge.refresh_from_db()
    # `update()` skips the history; record the review as a change.
    pledge.save(update_fields=["updated_at"])
    return pledge


@transaction.atomic
def pledge_approve(*, pledge: Pledge, by: AbstractBaseUser | None) -> Pledge:
    """The branch's leader approves a submitted pledge; it then shows on the card."""
    return _review(pledge, by, status=Pledge.Status.APPROVED)


@transaction.atomic
def pledge_return(*, pledge: Pledge, by: AbstractBaseUser, reason: str) -> Pledge:
    """The branch's leader returns a submitted pledge with a reason; the member edits it."""
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say why the pledge is returned."))
    return _review(pledge, by, status=Pledge.Status.RETURNED, reason=reason)


# --- Designations -------------------------------------------------------------------


@dataclass(frozen=True)
class DesignationData:
    kind: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    node: BusinessNode | None = None
    location: str = ""
    criteria: str = ""


def _validate_designation(
    *,
    organisation: Organisation,
    data: DesignationData,
    responsible: list[Person],
    by: AbstractBaseUser | None,
) -> None:
    errors = []
    if by is not None and not scope_for(by).covers(organisation):
        errors.append(
            _("You do not lead %(org)s, so you cannot name its designations.")
            % {"org": organisation.name}
        )
    if not organisation.is_branch:
        errors.append(_("Model posts and safety zones are named by a branch."))
    if data.kind not in Designation.Kind.values:
        errors.append(_("Choose a model post or a safety responsibility zone."))
    if not data.name.strip():
        errors.append(_("Name the designation."))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors.append(_("The end date comes before the start date."))
    if data.kind == Designation.Kind.SAFETY_ZONE and not data.location.strip():
        errors.append(_("Say where the safety responsibility zone is."))
    if not responsible:
        errors.append(_("Name at least one responsible member."))
    for person in responsible:
        if not person.is_party_member or person.branch_id != organisation.pk:
            errors.append(
                _("%(name)s is not a party member of %(org)s.")
                % {"name": person.name, "org": organisation.name}
            )
    if errors:
        _refuse(*errors)


def _save_designation(designation: Designation, responsible: Iterable[Person]) -> Designation:
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError:
        _refuse(_("The branch already has an active designation with this name."))
    designation.responsible.set(responsible)
    return designation


@transaction.atomic
def designation_create(
    *,
    organisation: Organisation,
    data: DesignationData,
    responsible: list[Person],
    by: AbstractBaseUser | None,
) -> Designation:
    """Name a model post or safety zone of a branch with its responsible members, who
    must be party members of that branch."""
    _validate_designation(organisation=organisation, data=data, responsible=responsible, by=by)
    designation = Designation(
        organisation=organisation,
        kind=data.kind,
        name=data.name.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        node=data.node,
        location=data.location.strip(),
        criteria=data.criteria.strip(),
        created_by=by,
    )
    return _save_designation(designation, responsible)


def designation_version(designation: Designation) -> str:
    """The edit page's version token: the designation and who is responsible."""
    return version_token(
        designation, [*(f.name for f in fields(DesignationData)), "responsible", "status"]
    )


@transaction.atomic
def designation_update(
    *,
    designation: Designation,
    data: DesignationData,
    responsible: list[Person],
    by: AbstractBaseUser,
    version: str = "",
) -> Designation:
    """Change an active designation (same checks as naming it); refused when someone
    saved it since the page was opened (`version`)."""
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    check_version(version, designation_version(designation))
    if designation.status != Designation.Status.ACTIVE:
        _refuse(_("A revoked designation cannot be changed."))
    _validate_designation(
        organisation=designation.organisation, data=data, responsible=responsible, by=by
    )
    for field in ("kind", "starts_on", "ends_on", "node"):
        setattr(designation, field, getattr(data, field))
    designation.name = data.name.strip()
    designation.location = data.location.strip()
    designation.criteria = data.criteria.strip()
    return _save_designation(designation, responsible)


@transaction.atomic
def designation_revoke(
    *,
    designation: Designation,
    by: AbstractBaseUser,
    reason: str,
    on: datetime.date | None = None,
) -> Designation:
    """Revoke an active designation with a reason; it ends on the given day."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if not scope_for(by).covers(designation.organisation):
        _refuse(
            _("You do not lead %(org)s, so you cannot name its designations.")
            % {"org": designation.organisation.name}
        )
    if not reason:
        _refuse(_("Say why the designation is revoked."))
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    if designation.status != Designation.Status.ACTIVE:
        _refuse(_("This designation is already revoked."))
    designation.status = Designation.Status.REVOKED
    designation.revoked_reason = reason[:200]
    designation.ends_on = max(on, designation.starts_on)
    designation.save()
    return designation
