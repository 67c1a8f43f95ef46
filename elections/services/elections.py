"""An election's steps: planned, candidates approved by the higher organisation, the
vote, and the result made effective (posts and a new term) in one transaction."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Membership, Person, Post
from members.services import post_assign, post_end
from supplychain_party.concurrency import check_version, version_token

from ..models import ELECTED_KINDS, Candidate, Election, Term
from ..tally import Tally, enough_candidates, tally
from .terms import term_end

Status = Election.Status
ONE_HOLDER_ROLES = tuple(r for r in Candidate.ROLES if r != Post.Role.COMMITTEE)


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("organisation").get(pk=election.pk)


def _require(election: Election, *statuses: str) -> None:
    if election.status not in statuses:
        raise ValidationError(
            _("This election is %(status)s; this step is not possible now.")
            % {"status": election.get_status_display()}
        )


def eligible_candidates(organisation: Organisation) -> QuerySet[Person]:
    """Full members (with the right to vote and stand) of the organisation's branch, or
    of the branches below a general branch or committee."""
    people = Person.objects.active().filter(status=Person.Status.FULL)
    if organisation.is_branch:
        return people.filter(branch=organisation)
    return people.filter(branch__path__startswith=organisation.path)


def default_entitled(organisation: Organisation, on: datetime.date) -> int:
    """Members entitled to vote on `on`: full members only (probationary members have no
    vote), by the memberships current that day."""
    return (
        Membership.objects.current(on)
        .filter(
            branch__path__startswith=organisation.path,
            person__is_active=True,
            person__status=Person.Status.FULL,
        )
        .values("person")
        .distinct()
        .count()
    )


@transaction.atomic
def election_create(
    *,
    organisation: Organisation,
    kind: str,
    seats: int,
    planned_on: datetime.date,
    is_contested: bool,
    by: AbstractBaseUser | None,
) -> Election:
    """Plan an election; a regular one closes the organisation's open term."""
    if organisation.kind not in ELECTED_KINDS:
        raise ValidationError(
            _("A %(kind)s has no elected committee.") % {"kind": organisation.get_kind_display()}
        )
    if seats < 1:
        raise ValidationError(_("An election fills at least one seat."))
    term = Term.objects.open().filter(organisation=organisation).first()
    if kind == Election.Kind.BY_ELECTION and term is None:
        raise ValidationError(
            _("A by-election fills seats of the current term; record the current term first.")
        )
    try:
        with transaction.atomic():
            return Election.objects.create(
                organisation=organisation,
                term=term,
                kind=kind,
                seats=seats,
                planned_on=planned_on,
                is_contested=is_contested,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(_("This organisation already has an election under way.")) from None


def election_version(election: Election) -> str:
    """The edit page's version token: the plan and the election's step."""
    return version_token(election, ["seats", "planned_on", "is_contested", "status"])


@transaction.atomic
def election_update(
    *, election: Election, seats: int, planned_on: datetime.date, is_contested: bool,
    version: str = "",
) -> Election:
    """Change the plan while the candidates are not yet approved; refused when
    someone saved it since the page was opened (`version`)."""
    election = _locked(election)
    _require(election, Status.PLANNED)
    check_version(version, election_version(election))
    if seats < 1:
        raise ValidationError(_("An election fills at least one seat."))
    election.seats, election.planned_on, election.is_contested = seats, planned_on, is_contested
    election.save(update_fields=["seats", "planned_on", "is_contested"])
    return election


@transaction.atomic
def candidate_add(*, election: Election, person: Person) -> Candidate:
    """Put a full member of the organisation on the list (twice adds nothing)."""
    election = _locked(election)
    _require(election, Status.PLANNED)
    if not eligible_candidates(election.organisation).filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(person)s is not a full party member of %(org)s and cannot stand.")
            % {"person": person, "org": election.organisation.name}
        )
    candidate, _created = Candidate.objects.get_or_create(election=election, person=person)
    return candidate


@transaction.atomic
def candidate_remove(*, candidate: Candidate) -> None:
    election = _locked(candidate.election)
    _require(election, Status.PLANNED)
    candidate.delete()


@transaction.atomic
def candidates_approve(
    *,
    election: Election,
    approved_on: datetime.date,
    document: str,
    by: AbstractBaseUser | None,
) -> Election:
    """The higher organisation approves the list of candidates."""
    election = _locked(election)
    _require(election, Status.PLANNED)
    count = election.candidates.count()
    if not enough_candidates(
        candidates=count, seats=election.seats, contested=election.is_contested
    ):
        if election.is_contested:
            raise ValidationError(
                _(
                    "A contested election needs at least 20%% more candidates than seats: "
                    "%(seats)d seat(s) need at least %(needed)d candidates, and there are "
                    "%(count)d."
                )
                % {"seats": election.seats, "needed": _needed(election.seats), "count": count}
            )
        raise ValidationError(
            _("%(seats)d seat(s) need at least %(seats)d candidates; there are %(count)d.")
            % {"seats": election.seats, "count": count}
        )
    election.status = Status.APPROVED
    election.approved_on, election.approval_document, election.approved_by = (
        approved_on,
        document,
        by,
    )
    election.save(update_fields=["status", "approved_on", "approval_document", "approved_by"])
    return election


def _needed(seats: int) -> int:
    """Fewest candidates for a contested election of `seats` seats."""
    n = seats + 1
    while not enough_candidates(candidates=n, seats=seats, contested=True):
        n += 1
    return n


def election_tally(election: Election, candidates=None) -> Tally | None:
    """The count of a held election (None before the vote)."""
    if election.entitled is None or election.present is None:
        return None
    candidates = candidates if candidates is not None else list(election.candidates.all())
    return tally(
        entitled=election.entitled,
        present=election.present,
        seats=election.seats,
        votes={c.pk: c.votes or 0 for c in candidates},
    )


@transaction.atomic
def vote_record(
    *,
    election: Election,
    held_on: datetime.date,
    entitled: int,
    present: int,
    valid_ballots: int,
    votes: dict[int, int],
) -> Tally:
    """Record the vote and mark who is elected; refuse impossible numbers (nothing is
    saved then). May be entered again until the result is made effective."""
    election = _locked(election)
    _require(election, Status.APPROVED, Status.HELD)
    candidates = list(election.candidates.select_related("person"))
    errors = []
    if present > entitled:
        errors.append(
            _("%(present)d members present is more than the %(entitled)d members entitled to vote.")
            % {"present": present, "entitled": entitled}
        )
    if valid_ballots > present:
        errors.append(
            _("%(ballots)d valid ballots is more than the %(present)d members present.")
            % {"ballots": valid_ballots, "present": present}
        )
    missing = [c.person.name for c in candidates if c.pk not in votes]
    if missing:
        errors.append(
            _("Enter the votes of every candidate (missing: %(names)s).")
            % {"names": "、".join(missing)}
        )
    for candidate in candidates:
        n = votes.get(candidate.pk, 0)
        if n > present:
            errors.append(
                _("%(person)s has %(votes)d votes, more than the %(present)d members present.")
                % {"person": candidate.person.name, "votes": n, "present": present}
            )
        elif n > valid_ballots:
            errors.append(
                _("%(person)s has %(votes)d votes, more than the %(ballots)d valid ballots.")
                % {"person": candidate.person.name, "votes": n, "ballots": valid_ballots}
            )
    total = sum(votes.get(c.pk, 0) for c in candidates)
    if total > valid_ballots * election.seats:
        errors.append(
            _(
                "The votes add up to %(total)d, more than %(ballots)d valid ballots "
                "of %(seats)d choices each allow."
            )
            % {"total": total, "ballots": valid_ballots, "seats": election.seats}
        )
    if errors:
        raise ValidationError(errors)
    for candidate in candidates:
        candidate.votes = votes[candidate.pk]
    result = tally(
        entitled=entitled,
        present=present,
        seats=election.seats,
        votes={c.pk: c.votes for c in candidates},
    )
    elected = set(result.elected) if result.has_result else set()
    for candidate in candidates:
        candidate.is_elected = candidate.pk in elected
        if not candidate.is_elected:
            candidate.role = ""
    Candidate.objects.bulk_update(candidates, ["votes", "is_elected", "role"])
    election.status = Status.HELD
    election.held_on, election.entitled, election.present, election.valid_ballots = (
        held_on,
        entitled,
        present,
        valid_ballots,
    )
    election.save(update_fields=["status", "held_on", "entitled", "present", "valid_ballots"])
    return result


@transaction.atomic
def election_result_confirm(
    *,
    election: Election,
    roles: dict[int, str],
    effective_on: datetime.date,
    by: AbstractBaseUser | None,
) -> Election:
    """Make the result effective: the elected take the posts chosen for them (the old
    committee's posts end), and a regular election closes the term and opens the next.
    All of it or nothing."""
    election = _locked(election)
    _require(election, Status.HELD)
    candidates = list(election.candidates.select_related("person"))
    result = election_tally(election, candidates)
    if result is None or not result.has_result:
        raise ValidationError(
            (result.messages if result else None)
            or _("This election has no result to make effective.")
        )
    if election.held_on and effective_on < election.held_on:
        raise ValidationError(_("The result cannot take effect before the election was held."))
    elected = [c for c in candidates if c.pk in set(result.elected)]
    errors = []
    for candidate in elected:
        role = roles.get(candidate.pk, "")
        if role not in Candidate.ROLES:
            errors.append(
                _("Choose the post %(person)s takes.") % {"person": candidate.person.name}
            )
        candidate.role = role
    taken = [c.role for c in elected if c.role in ONE_HOLDER_ROLES]
    for role in set(taken):
        if taken.count(role) > 1:
            errors.append(_("Only one person can be %(role)s.") % {"role": Post.Role(role).label})
    if election.kind == Election.Kind.REGULAR and Post.Role.SECRETARY not in taken:
        errors.append(_("A new committee needs a secretary."))
    if errors:
        raise ValidationError(errors)

    organisation = election.organisation
    current = (
        Post.objects.current(effective_on)
        .committee()
        .filter(organisation=organisation, ended_on__isnull=True)
    )
    if election.kind == Election.Kind.BY_ELECTION:
        current = current.filter(role__in=taken)
    # A member re-elected to the post they hold keeps it (the post's history runs on);
    # every other post of the old committee ends, and the new ones begin.
    kept = set()
    staying = {(c.person_id, c.role) for c in elected}
    for post in current.select_for_update():
        if (post.person_id, post.role) in staying:
            kept.add((post.person_id, post.role))
        else:
            post_end(post=post, on=effective_on)
    for candidate in elected:
        if (candidate.person_id, candidate.role) in kept:
            continue
        post_assign(
            person=candidate.person, organisation=organisation, role=candidate.role, on=effective_on
        )
    Candidate.objects.bulk_update(elected, ["role"])

    if election.kind == Election.Kind.REGULAR:
        term = Term.objects.select_for_update().open().filter(organisation=organisation).first()
        if term is not None:
            if effective_on < term.started_on:
                raise ValidationError(
                    _("The result cannot take effect before the current term began (%(date)s).")
                    % {"date": term.started_on}
                )
            term.closed_on = effective_on
            term.save(update_fields=["closed_on"])
        election.new_term = Term.objects.create(
            organisation=organisation,
            started_on=effective_on,
            ends_on=term_end(organisation=organisation, started_on=effective_on),
        )
    election.status = Status.EFFECTIVE
    election.effective_on, election.confirmed_by = effective_on, by
    election.save(update_fields=["status", "effective_on", "confirmed_by", "new_term"])
    return election
