"""One post, two duties: a part-time secretary's party and business scores."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Post

from ..models import BranchAssessment, DutyAssessment, Scheme
from .numbers import _q


@transaction.atomic
def duty_assessment_save(*, scheme: Scheme, post: Post, business_score: Decimal | None,
                         business_evidence: str = "") -> DutyAssessment:
    """Join the branch's standards total with the secretary's business score into the
    figure for the middle managers' appraisal: w × party + (100 − w) × business."""
    if not post.carries_two_duties:
        raise ValidationError(_("%(post)s is not a part-time secretary with a business post.")
                              % {"post": post}, code="not_two_duties")
    if business_score is not None and not 0 <= business_score <= 100:
        raise ValidationError(_("A business score lies between 0 and 100."))
    party = (BranchAssessment.objects.filter(scheme=scheme, branch=post.organisation)
             .values_list("total", flat=True).first())
    duty, _created = DutyAssessment.objects.get_or_create(
        scheme=scheme, post=post, defaults={"branch": post.organisation})
    duty.party_score = party
    duty.business_score = business_score
    duty.business_evidence = business_evidence
    duty.total = None
    if party is not None and business_score is not None:
        weight = scheme.duty_party_weight
        duty.total = _q((weight * party + (100 - weight) * business_score) / 100)
    duty.save()
    return duty
