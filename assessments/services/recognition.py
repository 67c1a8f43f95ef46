"""Monthly recognition: the mobile red flag and the post stars."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person

from ..models import PostStar, RedFlag


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def red_flag_award(*, month: datetime.date, by: AbstractBaseUser | None = None) -> RedFlag:
    """Award the month's red flag to the best branch by the rule (see
    `selectors.red_flag_ranking`). Refused when already awarded or nothing scored."""
    from ..selectors import red_flag_ranking

    month = first_of_month(month)
    if RedFlag.objects.filter(month=month).exists():
        raise ValidationError(_("The red flag of %(month)s is already awarded.")
                              % {"month": f"{month:%Y-%m}"}, code="awarded")
    ranking = red_flag_ranking(month=month)
    if not ranking:
        raise ValidationError(_("No red flag rule is enabled, or no branch to rank."))
    best = ranking[0]
    evidence = "\n".join(f"{row.branch.name}: {row.score} ({row.detail})" for row in ranking)
    return RedFlag.objects.create(month=month, branch=best.branch, score=best.score,
                                  evidence=evidence, awarded_at=timezone.now(),
                                  awarded_by=by if by is not None and by.is_authenticated
                                  else None)


@transaction.atomic
def post_star_award(*, branch: Organisation, person: Person, month: datetime.date,
                    reason: str = "") -> PostStar:
    """Name the branch's post star of the month (one per branch and month)."""
    month = first_of_month(month)
    if person.branch_id != branch.pk:
        raise ValidationError(_("%(person)s does not belong to %(branch)s.")
                              % {"person": person, "branch": branch}, code="other_branch")
    if PostStar.objects.filter(branch=branch, month=month).exists():
        raise ValidationError(_("This branch already has a post star for the month."),
                              code="awarded")
    return PostStar.objects.create(branch=branch, person=person, month=month, reason=reason)
