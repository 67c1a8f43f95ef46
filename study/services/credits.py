"""Awarding credits by the rules the committee edits in the admin."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from members.models import Person

from ..models import CreditEntry, CreditRule, Material


@transaction.atomic
def credit_award(
    *, person: Person, event: str, material: Material, on: datetime.date
) -> CreditEntry | None:
    """Credit the person for an event about a material, by the event's active rule.

    At most once per (person, rule, material): a second call finds the entry and
    awards nothing. The rule's monthly cap limits what the rule awards in the month of
    `on`: the entry gets what is left under the cap, and none is made when nothing is.
    The person's row is locked so two awards at once cannot both pass the cap.
    Returns the new entry, or None when nothing was awarded.
    """
    rule = CreditRule.objects.filter(event=event, is_active=True).first()
    if rule is None or rule.points <= 0:
        return None
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if CreditEntry.objects.filter(person=person, rule=rule, material=material).exists():
        return None
    points = rule.points
    if rule.monthly_cap is not None:
        month_start = on.replace(day=1)
        next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
        earned = CreditEntry.objects.filter(
            person=person, rule=rule, earned_on__gte=month_start, earned_on__lt=next_month
        ).aggregate(total=Sum("points"))["total"] or Decimal("0")
        points = min(points, rule.monthly_cap - earned)
        if points <= 0:
            return None
    return CreditEntry.objects.create(
        person=person, rule=rule, material=material, points=points, earned_on=on
    )
