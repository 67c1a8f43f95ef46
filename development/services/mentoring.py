"""Two-way mentoring (双向双带): create and close mentor pairs."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person

from ..models import MentorPair

Status = Person.Status
Kind = MentorPair.Kind


@transaction.atomic
def mentor_pair_create(
    *,
    branch: Organisation,
    kind: str,
    mentor: Person,
    mentee: Person,
    goals: str,
    started_on: datetime.date,
    today: datetime.date | None = None,
) -> MentorPair:
    """Pair a mentor with a mentee: a business expert with a member (experts become
    members' teachers), or a member with a promising colleague on the way to activist
    status. The mentee's row is locked so a double submit cannot pair them twice."""
    today = today or timezone.localdate()
    if kind not in Kind.values:
        raise ValidationError(_("Choose the kind of mentoring."), code="kind")
    if branch.kind != Organisation.Kind.BRANCH:
        raise ValidationError(_("A mentor pair belongs to a branch."), code="branch")
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A mentor cannot mentor themself."), code="self")
    if not goals.strip():
        raise ValidationError(_("Write the pair's goals."), code="goals")
    if started_on > today:
        raise ValidationError(
            _("A pair starts today or earlier, not on %(date)s.")
            % {"date": date_format(started_on)},
            code="future",
        )
    if kind == Kind.EXPERT_TO_MEMBER and not mentee.is_party_member:
        raise ValidationError(
            _("%(name)s is not a party member: an expert mentors a member.")
            % {"name": mentee.name},
            code="mentee",
        )
    if kind == Kind.MEMBER_TO_STAFF:
        if not mentor.is_party_member:
            raise ValidationError(
                _("%(name)s is not a party member: a member mentors a colleague.")
                % {"name": mentor.name},
                code="mentor",
            )
        if mentee.is_party_member:
            raise ValidationError(
                _("%(name)s is already a party member: a member mentors a colleague who is not.")
                % {"name": mentee.name},
                code="mentee",
            )
    Person.objects.select_for_update().get(pk=mentee.pk)
    if MentorPair.objects.active().filter(mentor=mentor, mentee=mentee).exists():
        raise ValidationError(_("These two are already an active mentor pair."), code="duplicate")
    return MentorPair.objects.create(
        branch=branch,
        kind=kind,
        mentor=mentor,
        mentee=mentee,
        goals=goals.strip(),
        started_on=started_on,
    )


@transaction.atomic
def mentor_pair_close(
    *, pair: MentorPair, ended_on: datetime.date, outcome: str, today: datetime.date | None = None
) -> MentorPair:
    """Close a pair with its outcome; a closed pair stays closed."""
    today = today or timezone.localdate()
    pair = MentorPair.objects.select_for_update().get(pk=pair.pk)
    if pair.ended_on is not None:
        raise ValidationError(_("This pair is already closed."), code="closed")
    if ended_on < pair.started_on:
        raise ValidationError(_("A mentor pair cannot end before it starts."), code="dates")
    if ended_on > today:
        raise ValidationError(
            _("A pair is closed today or earlier, not on %(date)s.")
            % {"date": date_format(ended_on)},
            code="future",
        )
    if not outcome.strip():
        raise ValidationError(_("Write the outcome."), code="outcome")
    pair.ended_on, pair.outcome = ended_on, outcome.strip()
    pair.save(update_fields=["ended_on", "outcome"])
    return pair
