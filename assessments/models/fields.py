"""Field helpers shared by the assessment models: branches only, percentages, scores."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from branches.models import Organisation

BRANCH = {"kind": Organisation.Kind.BRANCH}
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _score_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)
