"""Writes for the service team: its roster and its service log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person
from supplychain_party.concurrency import check_version, version_token

from ..models import ServiceRecord, ServiceTeam, TeamMember


@transaction.atomic
def service_team_create(
    *, name: str, organisation, leader: Person | None = None, description: str = ""
) -> ServiceTeam:
    """Set up a service team owned by an organisation."""
    if ServiceTeam.objects.filter(name=name).exists():
        raise ValidationError(
            _("A service team with this name already exists."), code="duplicate_team"
        )
    team = ServiceTeam(name=name, organisation=organisation, leader=leader, description=description)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_member_add(
    *,
    team: ServiceTeam,
    person: Person,
    role: str = TeamMember.Role.MEMBER,
    joined_on: datetime.date,
) -> TeamMember:
    """Put a person on the team's roster (party members and activists only); adding
    someone already on it refuses, so a double submit adds nobody twice."""
    ServiceTeam.objects.select_for_update().get(pk=team.pk)
    if TeamMember.objects.filter(team=team, person=person, left_on__isnull=True).exists():
        raise ValidationError(
            _("%(name)s is already on the team.") % {"name": person.name}, code="already_on_team"
        )
    place = TeamMember(team=team, person=person, role=role, joined_on=joined_on)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def team_member_leave(*, place: TeamMember, on: datetime.date) -> bool:
    """Take a person off the roster from `on`; returns False when they had already left."""
    place = TeamMember.objects.select_for_update().get(pk=place.pk)
    if place.left_on is not None:
        return False
    if on < place.joined_on:
        raise ValidationError(_("A member cannot leave before joining."), code="leave_early")
    place.left_on = on
    place.save(update_fields=["left_on"])
    return True


@dataclass(frozen=True)
class RecordData:
    served_on: datetime.date
    kind: str
    unit_kind: str
    unit_name: str
    work_done: str
    outcome: str = ""
    follow_up: str = ""


def _check_record(*, team: ServiceTeam, data: RecordData, members: list[Person]) -> None:
    errors = []
    if data.served_on > timezone.localdate():
        errors.append(_("A service record cannot be dated in the future."))
    if not members:
        errors.append(_("Name at least one member who went."))
    on_roster = set(
        TeamMember.objects.current(data.served_on)
        .filter(team=team, person__in=members)
        .values_list("person_id", flat=True)
    )
    outsiders = [person.name for person in members if person.pk not in on_roster]
    if outsiders:
        errors.append(
            _("Not on the team on %(date)s: %(names)s.")
            % {"date": data.served_on.isoformat(), "names": "、".join(outsiders)}
        )
    if not data.unit_name.strip():
        errors.append(_("Name the unit served."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_record_create(
    *, team: ServiceTeam, data: RecordData, members: Iterable[Person], by: Person | None
) -> ServiceRecord:
    """Log one service the team gave; the members who went must be on the team then."""
    members = list(members)
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    if ServiceRecord.objects.filter(
        team=team, served_on=data.served_on, kind=data.kind, unit_name=data.unit_name
    ).exists():
        raise ValidationError(_("This service is already in the log."), code="duplicate")
    if not team.is_active:
        raise ValidationError(_("The team is no longer active."), code="inactive_team")
    _check_record(team=team, data=data, members=members)
    record = ServiceRecord(team=team, recorded_by=by, **data.__dict__)
    record.full_clean(exclude=["members"])
    record.save()
    record.members.set(members)
    return record


def service_record_version(record: ServiceRecord) -> str:
    """The edit page's version token: the record and who went."""
    return version_token(record, [*(f.name for f in fields(RecordData)), "members"])


@transaction.atomic
def service_record_update(
    *, record: ServiceRecord, data: RecordData, members: Iterable[Person], version: str = ""
) -> ServiceRecord:
    """Correct a logged service; refused when someone saved it since the page was
    opened (`version`)."""
    members = list(members)
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    check_version(version, service_record_version(record))
    if (
        ServiceRecord.objects.filter(
            team=record.team, served_on=data.served_on, kind=data.kind, unit_name=data.unit_name
        )
        .exclude(pk=record.pk)
        .exists()
    ):
        raise ValidationError(_("This service is already in the log."), code="duplicate")
    _check_record(team=record.team, data=data, members=members)
    for field, value in data.__dict__.items():
        setattr(record, field, value)
    record.full_clean(exclude=["members"])
    record.save()
    record.members.set(members)
    return record
