"""Schemes: checked, activated, and the grade a total earns."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Grade, GradeThreshold, Scheme
from .numbers import plain


def scheme_problems(*, scheme: Scheme) -> list[str]:
    """What keeps the scheme from being used: weights not adding up to 100, a group
    without criteria, missing or crossed grade thresholds."""
    problems = []
    groups = list(scheme.groups.all().prefetch_related("criteria"))
    if not groups:
        problems.append(_("The scheme has no criterion groups."))
    total = sum((g.weight for g in groups), Decimal(0))
    if groups and total != 100:
        problems.append(_("The group weights add up to %(total)s, not 100.")
                        % {"total": plain(total)})
    for group in groups:
        if not group.criteria.all():
            problems.append(_("The group “%(group)s” has no criteria.") % {"group": group.name})
    thresholds = {t.grade: t.min_total for t in scheme.thresholds.all()}
    for grade in (Grade.EXCELLENT, Grade.STANDARD):
        if grade not in thresholds:
            problems.append(_("Set the lowest total for “%(grade)s”.")
                            % {"grade": Grade(grade).label})
    if (Grade.EXCELLENT in thresholds and Grade.STANDARD in thresholds
            and thresholds[Grade.EXCELLENT] <= thresholds[Grade.STANDARD]):
        problems.append(_("“Excellent” must need a higher total than “up to standard”."))
    return problems


def scheme_activate(*, scheme: Scheme, by: AbstractBaseUser | None = None) -> Scheme:
    """Check the scheme and make it the year's active one (refused with the reasons)."""
    problems = scheme_problems(scheme=scheme)
    if problems:
        raise ValidationError(problems)
    scheme.state = Scheme.State.ACTIVE
    scheme.activated_at = timezone.now()
    scheme.save(update_fields=["state", "activated_at"])
    return scheme


def grade_for(*, scheme: Scheme, total: Decimal) -> str:
    """The highest grade whose threshold the total reaches; below all, substandard."""
    for threshold in GradeThreshold.objects.filter(scheme=scheme).order_by("-min_total"):
        if total >= threshold.min_total:
            return threshold.grade
    return Grade.SUBSTANDARD
