"""Shared set-up for the assessment tests: a small active scheme."""

from decimal import Decimal

from assessments import services
from assessments.indicators import MANUAL
from assessments.models import Criterion, CriterionGroup, Grade, GradeThreshold, Scheme

YEAR = 2026


def make_scheme(year: int = YEAR, *, activate: bool = True) -> Scheme:
    """Party life 60 (attendance, computed, max 10), business 40 (manual, max 20)."""
    scheme = Scheme.objects.create(year=year, title=f"{year}年达标考核")
    GradeThreshold.objects.create(scheme=scheme, grade=Grade.EXCELLENT, min_total=90)
    GradeThreshold.objects.create(scheme=scheme, grade=Grade.STANDARD, min_total=60)
    life = CriterionGroup.objects.create(scheme=scheme, name="组织生活", weight=60, order=0)
    business = CriterionGroup.objects.create(scheme=scheme, name="业务指标", weight=40, order=1)
    Criterion.objects.create(group=life, name="参会率", max_score=10, source="attendance_rate",
                             target=Decimal(1))
    Criterion.objects.create(group=business, name="供应及时率", max_score=20, source=MANUAL)
    if activate:
        services.scheme_activate(scheme=scheme)
    return scheme
