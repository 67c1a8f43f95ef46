"""One post, two duties: a part-time secretary's party and business scores."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Post

from .fields import PERCENT, _score_field
from .schemes import Scheme


class DutyAssessment(models.Model):
    """A part-time secretary's yearly "one post, two duties" (一岗双责) assessment: the
    branch's standards total joined with the business indicators entered for them,
    giving the figure carried into the middle managers' yearly appraisal."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT,
                               related_name="duty_assessments", verbose_name=_("scheme"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="duty_assessments",
                             verbose_name=_("post"))
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                               related_name="duty_assessments", verbose_name=_("branch"))
    party_score = _score_field(_("party-building score"), null=True, blank=True)
    business_score = _score_field(_("business score"), null=True, blank=True,
                                  validators=PERCENT)
    business_evidence = models.TextField(_("business indicators and evidence"), blank=True)
    total = _score_field(_("appraisal figure"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheme__year", "branch__path"]
        verbose_name = _("one post, two duties assessment")
        verbose_name_plural = _("one post, two duties assessments")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "post"], name="one_duty_assessment_per_post",
                                    violation_error_message=_("This post is already assessed "
                                                              "for the year.")),
            models.CheckConstraint(condition=Q(business_score__isnull=True)
                                   | Q(business_score__gte=0, business_score__lte=100),
                                   name="business_score_in_range",
                                   violation_error_message=_("A business score lies between 0 "
                                                             "and 100.")),
        ]

    def __str__(self) -> str:
        return f"{self.post.person} {self.scheme.year}"
