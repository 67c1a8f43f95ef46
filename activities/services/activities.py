"""Recording forums, lectures and team activities with speakers and attendees."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.access import scope_for
from members.models import Person
from supplychain_party.concurrency import check_version, version_token

from ..models import Activity, ActivityAttendance, ActivitySpeaker


@dataclass(frozen=True)
class ActivityData:
    kind: str
    title: str
    held_on: datetime.date
    place: str = ""
    summary: str = ""


@dataclass(frozen=True)
class SpeakerEntry:
    person: Person | None = None
    outside_name: str = ""
    topic: str = ""


def _validate(
    *,
    organisation: Organisation,
    data: ActivityData,
    speakers: list[SpeakerEntry],
    attendees: list[Person],
    by: AbstractBaseUser | None,
) -> None:
    # `by=None` is the demo loader: no one's scope to check.
    scope = scope_for(by) if by is not None else None
    errors = []
    if scope is not None and not scope.covers(organisation):
        errors.append(
            _("You do not lead %(org)s, so you cannot record its activities.")
            % {"org": organisation.name}
        )
    if data.kind not in Activity.Kind.values:
        errors.append(_("Choose the kind of activity."))
    if not data.title.strip():
        errors.append(_("Give the activity a title."))
    if attendees and data.held_on > timezone.localdate():
        errors.append(_("Attendance is recorded once the activity has taken place."))
    seen: set[int] = set()
    for entry in speakers:
        name = entry.outside_name.strip()
        if (entry.person is None) == (not name):
            errors.append(_("A speaker is one of our people or an outside name, not both."))
        if entry.person is not None:
            if entry.person.pk in seen:
                errors.append(
                    _("%(name)s is listed twice as a speaker.") % {"name": entry.person.name}
                )
            seen.add(entry.person.pk)
    if attendees and scope is not None:
        ids = {person.pk for person in attendees}
        reachable = set(scope.people().filter(pk__in=ids).values_list("pk", flat=True))
        for person in attendees:
            if person.pk not in reachable:
                errors.append(
                    _(
                        "%(name)s is outside the organisations you lead; record "
                        "attendance only for your own people."
                    )
                    % {"name": person.name}
                )
    if errors:
        raise ValidationError(errors)


def _write_rows(activity: Activity, speakers: list[SpeakerEntry], attendees: list[Person]):
    activity.speakers.all().delete()
    ActivitySpeaker.objects.bulk_create(
        ActivitySpeaker(
            activity=activity,
            person=entry.person,
            outside_name="" if entry.person else entry.outside_name.strip(),
            topic=entry.topic.strip(),
        )
        for entry in speakers
    )
    keep = {person.pk for person in attendees}
    activity.attendances.exclude(person_id__in=keep).delete()
    ActivityAttendance.objects.bulk_create(
        [ActivityAttendance(activity=activity, person=person) for person in attendees],
        ignore_conflicts=True,
    )


@transaction.atomic
def activity_create(
    *,
    organisation: Organisation,
    data: ActivityData,
    speakers: list[SpeakerEntry],
    attendees: list[Person],
    by: AbstractBaseUser | None,
    form_token: uuid.UUID | None = None,
) -> Activity:
    """Record an activity of an organisation the user leads, with its speakers and the
    members who attended. A form submitted twice (same token) records one activity."""
    _validate(organisation=organisation, data=data, speakers=speakers, attendees=attendees, by=by)
    if form_token is not None:
        existing = Activity.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                organisation=organisation,
                kind=data.kind,
                title=data.title.strip(),
                held_on=data.held_on,
                place=data.place.strip(),
                summary=data.summary.strip(),
                form_token=form_token,
                created_by=by,
            )
    except IntegrityError:
        return Activity.objects.get(form_token=form_token)
    _write_rows(activity, speakers, attendees)
    return activity


def activity_version(activity: Activity) -> str:
    """The edit page's version token: the activity, its speakers and its attendees."""
    speakers = activity.speakers.order_by("pk").values_list("person_id", "outside_name", "topic")
    attendees = activity.attendances.order_by("person_id").values_list("person_id")
    return version_token(activity, ActivityData, [*speakers, ("attendees",), *attendees])


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    data: ActivityData,
    speakers: list[SpeakerEntry],
    attendees: list[Person],
    by: AbstractBaseUser,
    version: str = "",
) -> Activity:
    """Change an activity, its speakers and attendees (same checks as recording it);
    refused when someone saved it since the page was opened (`version`)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(version, activity_version(activity))
    _validate(
        organisation=activity.organisation, data=data, speakers=speakers, attendees=attendees, by=by
    )
    activity.kind = data.kind
    activity.title = data.title.strip()
    activity.held_on = data.held_on
    activity.place = data.place.strip()
    activity.summary = data.summary.strip()
    activity.save()
    _write_rows(activity, speakers, attendees)
    return activity
