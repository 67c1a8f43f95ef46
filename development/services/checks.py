"""Shared checks and writes for the pipeline steps: dates, order, locks, status."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Person

from ..models import (
    Candidacy,
    Event,
)

Status = Person.Status


def _d(date: datetime.date) -> str:
    return date_format(date)


def _check_date(on: datetime.date | None, today: datetime.date, what: str) -> None:
    if on is None:
        raise ValidationError(_("Give the date: %(what)s.") % {"what": what}, code="date")
    if on > today:
        raise ValidationError(
            _(
                "%(what)s is dated %(date)s, which is in the future: record a step once it "
                "has taken place."
            )
            % {"what": what, "date": _d(on)},
            code="future",
        )


def _not_before(on: datetime.date, earlier: datetime.date, message: str) -> None:
    if on < earlier:
        raise ValidationError(message % {"date": _d(on), "earlier": _d(earlier)}, code="too_early")


def _lock(candidacy: Candidacy) -> Candidacy:
    """Lock the person, then the record (always in this order), and re-read both."""
    Person.objects.select_for_update().get(pk=candidacy.person_id)
    return (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("person", "branch")
        .get(pk=candidacy.pk)
    )


def _require_stage(candidacy: Candidacy, stage: str, message: str) -> None:
    if candidacy.stage != stage:
        raise ValidationError(
            message % {"name": candidacy.person.name, "stage": candidacy.get_stage_display()},
            code="stage",
        )


def _set_status(person: Person, status: str, **dates) -> None:
    person.status = status
    for field, value in dates.items():
        setattr(person, field, value)
    person.save(update_fields=["status", *dates])


def _event(candidacy: Candidacy, kind: str, on: datetime.date, by, detail: str = "") -> None:
    Event.objects.create(candidacy=candidacy, kind=kind, on=on, detail=detail[:300], recorded_by=by)


def _full_members(people: Sequence[Person], candidacy: Candidacy, role: str) -> None:
    """Each must be a full member, once, and not the person developed."""
    ids = [p.pk for p in people]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("The same member is named twice."), code="duplicate")
    for person in Person.objects.filter(pk__in=ids).order_by("name"):
        if person.pk == candidacy.person_id:
            raise ValidationError(
                _("%(name)s cannot be their own %(role)s.") % {"name": person.name, "role": role},
                code="self",
            )
        if person.status != Status.FULL:
            raise ValidationError(
                _("%(name)s is a %(status)s, not a full member: a %(role)s must be a full member.")
                % {"name": person.name, "status": person.get_status_display(), "role": role},
                code="not_full",
            )
