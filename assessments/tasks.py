"""Thin Celery tasks: fetch the date, call a service.

The mobile red flag is awarded once a month by construction: the month is unique
on `RedFlag`, and `services.red_flag_award` refuses a month already awarded. The
task awards the month before today's, so a run that beat fires late (it fires a
missed crontab once when it comes back) catches that month up, and a rerun does
nothing.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from .models import RedFlag
from .services import first_of_month, red_flag_award

logger = logging.getLogger(__name__)


def previous_month(today: datetime.date) -> datetime.date:
    return first_of_month(first_of_month(today) - datetime.timedelta(days=1))


@shared_task
def award_monthly_red_flag() -> int | None:
    """Award last month's red flag by the rule in the admin, unless already awarded.
    Returns the new flag's id, or None when there was nothing to do."""
    month = previous_month(timezone.localdate())
    if RedFlag.objects.filter(month=month).exists():
        return None
    try:
        flag = red_flag_award(month=month)
    except ValidationError as error:  # no rule enabled, no branch, or just awarded
        logger.warning("Red flag of %s not awarded: %s", f"{month:%Y-%m}",
                       "; ".join(error.messages))
        return None
    except IntegrityError:  # a concurrent run awarded the month first
        return None
    return flag.pk
