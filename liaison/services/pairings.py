"""Pairings with outside organisations and cadres' contact points."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Person

from ..models import ContactPoint, Pairing


def pairing_create(
    *, member: Person, partner: Person, started_on: datetime.date, note: str = ""
) -> Pairing:
    """Pair a party member with a non-party colleague (联帮促); at most two open pairings
    per member. The member's row is locked first, so two concurrent requests for a
    second and a third pairing cannot both pass the count."""
    if not member.is_party_member:
        raise ValidationError(_("Only a party member is paired with colleagues."),
                              code="not_member")
    if partner.is_party_member:
        raise ValidationError(_("%(name)s is a party member: pair members with non-party "
                                "colleagues.") % {"name": partner.name}, code="partner")
    if partner.pk == member.pk:
        raise ValidationError(_("A member cannot be paired with themself."), code="self")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=member.pk)
        open_pairings = Pairing.objects.filter(member=member, ended_on__isnull=True)
        if open_pairings.filter(partner=partner).exists():
            raise ValidationError(_("These two are already paired."), code="duplicate")
        if open_pairings.count() >= Pairing.MAX_OPEN_PER_MEMBER:
            raise ValidationError(
                _("%(name)s already has %(n)d colleagues to look after; a member is paired "
                  "with one or two. End a pairing first.")
                % {"name": member.name, "n": Pairing.MAX_OPEN_PER_MEMBER},
                code="limit",
            )
        return Pairing.objects.create(member=member, partner=partner, started_on=started_on,
                                      note=note)


def pairing_end(*, pairing: Pairing, on: datetime.date) -> Pairing:
    if on < pairing.started_on:
        raise ValidationError(_("A pairing cannot end before it starts."), code="dates")
    pairing.ended_on = on
    pairing.save(update_fields=["ended_on"])
    return pairing


def contact_point_create(
    *, cadre: Person, kind: str, name: str, started_on: datetime.date, paired_team: str = "",
    note: str = "",
) -> ContactPoint:
    """Give a cadre a contact point (联系点) and the work team they are paired with."""
    if kind not in ContactPoint.Kind.values:
        raise ValidationError(_("Choose the kind of contact point."), code="kind")
    if not name.strip():
        raise ValidationError(_("Name the contact point."), code="name")
    if ContactPoint.objects.filter(cadre=cadre, kind=kind, name=name.strip(),
                                   ended_on__isnull=True).exists():
        raise ValidationError(_("This cadre already has this contact point."), code="duplicate")
    return ContactPoint.objects.create(cadre=cadre, kind=kind, name=name.strip(),
                                       paired_team=paired_team, started_on=started_on, note=note)
