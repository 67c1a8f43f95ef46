"""Writes for membership transfers: issue, receive, confirm, cancel. Confirming moves
the membership (through `members.services`) in the same transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Membership, Person, Post
from members.services import membership_end, membership_start, post_end

from .models import Transfer

Direction, Status = Transfer.Direction, Transfer.Status


@dataclass(frozen=True)
class TransferData:
    person: Person
    direction: str
    letter_no: str
    issued_on: datetime.date
    effective_on: datetime.date
    from_branch: Organisation | None = None
    to_branch: Organisation | None = None
    outside_organisation: str = ""
    reason: str = ""


def _check(data: TransferData) -> None:
    errors = []
    person = data.person
    if data.direction in (Direction.WITHIN, Direction.OUT):
        if data.from_branch is None:
            errors.append(_("Choose the branch the member leaves."))
        elif person.branch_id != data.from_branch.pk:
            errors.append(
                _(
                    "%(person)s is not a member of %(branch)s; only a current member "
                    "can be transferred out of it."
                )
                % {"person": person.name, "branch": data.from_branch.name}
            )
    if data.direction in (Direction.WITHIN, Direction.IN) and data.to_branch is None:
        errors.append(_("Choose the branch the member joins."))
    for branch in (data.from_branch, data.to_branch):
        if branch is not None and branch.kind != Organisation.Kind.BRANCH:
            errors.append(_("%(org)s is not a branch.") % {"org": branch.name})
    if (
        data.direction == Direction.WITHIN
        and data.from_branch
        and data.to_branch
        and data.from_branch.pk == data.to_branch.pk
    ):
        errors.append(
            _("The member already belongs to %(branch)s.") % {"branch": data.to_branch.name}
        )
    if data.direction in (Direction.OUT, Direction.IN) and not data.outside_organisation.strip():
        errors.append(_("Name the outside organisation."))
    if data.direction == Direction.IN and person.branch_id is not None:
        errors.append(
            _("%(person)s already belongs to %(branch)s; use a transfer within the organisation.")
            % {"person": person.name, "branch": person.branch}
        )
    if not person.is_party_member:
        errors.append(
            _(
                "%(person)s is not a party member; only a party member's "
                "relationship is transferred."
            )
            % {"person": person.name}
        )
    if data.effective_on < data.issued_on:
        errors.append(_("The transfer cannot take effect before the letter is issued."))
    if not data.letter_no.strip():
        errors.append(_("Enter the letter number."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def transfer_issue(*, data: TransferData, by: AbstractBaseUser | None) -> Transfer:
    """Issue (or, for a member coming in, register) a transfer letter."""
    # Lock the person: two letters for one person cannot pass the checks at once.
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=data.person.pk)
    )
    data = TransferData(**{**data.__dict__, "person": person})
    _check(data)
    if Transfer.objects.open().filter(person=person).exists():
        raise ValidationError(
            _("%(person)s already has a transfer under way; finish or cancel it first.")
            % {"person": person.name}
        )
    year = data.issued_on.year
    if Transfer.objects.filter(letter_year=year, letter_no=data.letter_no.strip()).exists():
        raise ValidationError(
            _("Letter number %(no)s is already used in %(year)d.")
            % {"no": data.letter_no, "year": year}
        )
    try:
        with transaction.atomic():
            return Transfer.objects.create(
                person=person,
                direction=data.direction,
                from_branch=data.from_branch,
                to_branch=data.to_branch if data.direction != Direction.OUT else None,
                outside_organisation=data.outside_organisation.strip()
                if data.direction != Direction.WITHIN
                else "",
                letter_year=year,
                letter_no=data.letter_no.strip(),
                issued_on=data.issued_on,
                effective_on=data.effective_on,
                reason=data.reason,
                issued_by=by,
            )
    except IntegrityError:
        raise ValidationError(_("This transfer was already issued.")) from None


def _locked(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_branch", "to_branch")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def transfer_receive(*, transfer: Transfer, on: datetime.date, by: AbstractBaseUser | None) -> bool:
    """The receiving side acknowledges the letter (or the receipt slip came back).
    Returns False if it was already received (a double submit changes nothing)."""
    transfer = _locked(transfer)
    if transfer.status != Status.ISSUED:
        if transfer.status in (Status.RECEIVED, Status.CONFIRMED):
            return False
        raise ValidationError(_("A cancelled transfer cannot be received."))
    if on < transfer.issued_on:
        raise ValidationError(_("The letter cannot be received before it was issued."))
    transfer.status, transfer.received_on, transfer.received_by = Status.RECEIVED, on, by
    transfer.save(update_fields=["status", "received_on", "received_by"])
    return True


@transaction.atomic
def transfer_confirm(*, transfer: Transfer, on: datetime.date, by: AbstractBaseUser | None) -> bool:
    """Confirm the transfer: the membership moves on the effective date, with the
    transfer, in one transaction. Returns False if it was already confirmed."""
    transfer = _locked(transfer)
    if transfer.status == Status.CONFIRMED:
        return False
    if transfer.status != Status.RECEIVED:
        raise ValidationError(_("Record the receipt of the letter before confirming it."))
    if on < transfer.effective_on:
        raise ValidationError(
            _("The transfer takes effect on %(date)s; confirm it on or after that day.")
            % {"date": transfer.effective_on}
        )
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    effective = transfer.effective_on
    if transfer.direction in (Direction.WITHIN, Direction.OUT):
        if person.branch_id != transfer.from_branch_id:
            raise ValidationError(
                _("%(person)s is no longer a member of %(branch)s.")
                % {"person": person.name, "branch": transfer.from_branch}
            )
        current = Membership.objects.filter(person=person, ended_on__isnull=True).first()
        if current is not None and effective < current.started_on:
            raise ValidationError(
                _("The transfer cannot take effect before the membership began (%(date)s).")
                % {"date": current.started_on}
            )
        # Posts held in the branch (and its groups) end with the membership; leaving the
        # organisation ends every post.
        posts = Post.objects.filter(person=person, ended_on__isnull=True)
        if transfer.direction == Direction.WITHIN:
            posts = posts.filter(organisation__path__startswith=transfer.from_branch.path)
        for post in posts.select_for_update():
            post_end(post=post, on=max(effective, post.started_on))
    if transfer.direction == Direction.OUT:
        membership_end(person=person, on=effective)
    else:
        membership_start(person=person, branch=transfer.to_branch, on=effective)
    transfer.status, transfer.confirmed_on, transfer.confirmed_by = Status.CONFIRMED, on, by
    transfer.save(update_fields=["status", "confirmed_on", "confirmed_by"])
    return True


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, on: datetime.date, by: AbstractBaseUser | None) -> bool:
    """Withdraw a letter not yet confirmed. Returns False if it was already cancelled."""
    transfer = _locked(transfer)
    if transfer.status == Status.CANCELLED:
        return False
    if transfer.status == Status.CONFIRMED:
        raise ValidationError(_("A confirmed transfer cannot be cancelled."))
    transfer.status, transfer.cancelled_on, transfer.cancelled_by = Status.CANCELLED, on, by
    transfer.save(update_fields=["status", "cancelled_on", "cancelled_by"])
    return True
