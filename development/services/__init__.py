"""Writes for member development and two-way mentoring.

`development_advance()` is the one entry point the pages use for a pipeline step; the
step functions themselves live in `pipeline`, each atomic and self-checking.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person

from ..models import Candidacy
from .admission import (
    Decision,
    candidacy_add_introducers,
    candidacy_admit,
    candidacy_approve,
    candidacy_conclude,
    candidacy_review,
    candidacy_train,
    candidacy_withdraw,
)
from .mentoring import mentor_pair_close, mentor_pair_create
from .pipeline import (
    candidacy_assess,
    candidacy_name_activist,
    candidacy_name_candidate,
    candidacy_open,
    candidacy_talk,
)

STEPS: dict[str, Callable[..., Any]] = {
    "talk": candidacy_talk,
    "activist": candidacy_name_activist,
    "assess": candidacy_assess,
    "candidate": candidacy_name_candidate,
    "review": candidacy_review,
    "train": candidacy_train,
    "introducers": candidacy_add_introducers,
    "admit": candidacy_admit,
    "approve": candidacy_approve,
    "conclude": candidacy_conclude,
    "withdraw": candidacy_withdraw,
}


@transaction.atomic
def development_advance(
    *,
    candidacy: Candidacy,
    step: str,
    by: AbstractBaseUser | None = None,
    today: datetime.date | None = None,
    **data,
) -> Candidacy:
    """Take one legal step of a record (see `STEPS`), then remind the secretary of the
    step that is now due, in the same transaction."""
    from ..reminders import candidacy_remind

    today = today or timezone.localdate()
    try:
        action = STEPS[step]
    except KeyError:
        raise ValidationError(_("Unknown step."), code="step") from None
    action(candidacy=candidacy, by=by, today=today, **data)
    candidacy = Candidacy.objects.select_related("person", "branch").get(pk=candidacy.pk)
    candidacy_remind(candidacy=candidacy, today=today)
    return candidacy


@transaction.atomic
def candidacy_record(
    *,
    person: Person,
    branch: Organisation,
    applied_on: datetime.date,
    steps: Sequence[tuple[str, dict]],
    by: AbstractBaseUser | None = None,
    today: datetime.date | None = None,
) -> Candidacy:
    """Enter the paper record of a development that began before the portal: the same
    steps, checked by the same rules, in one transaction. The person may already be a
    member (a probationary or full member developed earlier); the steps rewrite their
    status and dates, ending where the last step leaves them."""
    today = today or timezone.localdate()
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status in Person.PARTY_STATUSES:
        # Open the record as the applicant they once were; the steps bring them back.
        locked.status = Person.Status.APPLICANT
        locked.save(update_fields=["status"])
    candidacy = candidacy_open(
        person=locked, branch=branch, applied_on=applied_on, by=by, today=today
    )
    for step, data in steps:
        STEPS[step](candidacy=candidacy, by=by, today=today, **data)
    return Candidacy.objects.select_related("person", "branch").get(pk=candidacy.pk)


__all__ = [
    "STEPS",
    "Decision",
    "candidacy_open",
    "candidacy_record",
    "development_advance",
    "mentor_pair_close",
    "mentor_pair_create",
]
