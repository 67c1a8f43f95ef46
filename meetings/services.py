"""Writes for party life: the one path that the web, the admin actions, the QR sign-in
and the reminders use. Every function validates first and writes inside one
transaction, so a refused input leaves nothing half-saved."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.models import Organisation
from members.models import Person
from supplychain_party import uploads
from supplychain_party.concurrency import check_version, version_token

from . import summary
from .models import Attachment, Attendance, Meeting, MeetingKind
from .selectors import Quorum, expected_attendees, kinds_for, quorum_of, subtree_people


@dataclass(frozen=True)
class MeetingData:
    """The editable fields of a meeting record."""

    held_at: datetime.datetime
    topic: str
    place: str = ""
    host: Person | None = None
    recorder: Person | None = None
    lecturer: Person | None = None
    content: str = ""
    resolutions: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    person_id: int
    status: str
    leave_reason: str = ""


# --- Validation -------------------------------------------------------------------


def _validate_kind(organisation: Organisation, kind: str) -> None:
    if kind not in kinds_for(organisation):
        raise ValidationError(
            _("A %(org_kind)s does not hold a “%(kind)s”.")
            % {"org_kind": organisation.get_kind_display(), "kind": MeetingKind(kind).label},
            code="kind",
        )


def meeting_validate(*, organisation: Organisation, kind: str, data: MeetingData) -> None:
    """Refuse a meeting record the organisation cannot hold (for forms that want the
    services' messages before saving, e.g. the admin)."""
    _validate_kind(organisation, kind)
    _validate_data(organisation, kind, data)


def _validate_data(organisation: Organisation, kind: str, data: MeetingData) -> None:
    if timezone.is_naive(data.held_at):
        raise ValidationError(_("The meeting time needs a time zone."), code="naive")
    if not data.topic.strip():
        raise ValidationError(_("Give the meeting a topic."), code="topic")
    if data.lecturer is not None and kind != MeetingKind.PARTY_LESSON:
        raise ValidationError(_("Only a party lesson has a lecturer."), code="lecturer")


def _validate_attendance(organisation: Organisation, entries: Sequence[AttendanceEntry]) -> None:
    """Each person once, a known status, a reason for each leave, and only people of
    the organisation's subtree."""
    errors = []
    ids = [entry.person_id for entry in entries]
    if len(ids) != len(set(ids)):
        errors.append(_("A person appears twice on the attendance list."))
    for entry in entries:
        if entry.status not in Attendance.Status.values:
            errors.append(_("Unknown attendance status “%(s)s”.") % {"s": entry.status})
        if entry.status == Attendance.Status.LEAVE and not entry.leave_reason.strip():
            errors.append(_("Give the reason for each leave."))
    outsiders = Person.objects.filter(pk__in=ids).exclude(
        pk__in=subtree_people(organisation).values("pk")
    )
    names = [p.name for p in outsiders]
    unknown = set(ids) - set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if names or unknown:
        errors.append(
            _("Not in %(org)s, so not on its attendance list: %(names)s.")
            % {"org": organisation.name, "names": "、".join(names) or _("unknown people")}
        )
    if errors:
        raise ValidationError(sorted(set(errors), key=errors.index))


def _validate_held(meeting: Meeting, *, now: datetime.datetime) -> None:
    """What a meeting must satisfy to count as held: not in the future, and every
    expected member accounted for."""
    if meeting.held_at > now:
        raise ValidationError(
            _(
                "The meeting is dated %(date)s, which is in the future: a meeting is "
                "submitted as held only after it has taken place."
            )
            % {"date": date_format(timezone.localtime(meeting.held_at), "DATETIME_FORMAT")},
            code="future",
        )
    listed = set(meeting.attendances.values_list("person_id", flat=True))
    missing = expected_attendees(meeting.organisation, meeting.kind).exclude(pk__in=listed)
    names = list(missing.values_list("name", flat=True)[:20])
    if names:
        raise ValidationError(
            _(
                "Record attendance (present, on leave or absent) for every expected member; "
                "missing: %(names)s."
            )
            % {"names": "、".join(names)},
            code="attendance_incomplete",
        )


def _record_quorum(meeting: Meeting) -> Quorum | None:
    """Keep on the meeting whether it had its quorum, as it stands at submission.

    A meeting below its quorum is not refused: it took place and its record is kept,
    but it is not valid (《中国共产党支部工作条例（试行）》), so it does not count
    toward the obligations, and its page says why.
    """
    quorum = quorum_of(meeting)
    if quorum is None:
        meeting.quorum_voters = meeting.quorum_present = meeting.quorum_needed = None
        meeting.is_quorate = True
    else:
        meeting.quorum_voters = quorum.voters
        meeting.quorum_present = quorum.present
        meeting.quorum_needed = quorum.needed
        meeting.is_quorate = quorum.is_met
    return quorum


def quorum_message(meeting: Meeting) -> str:
    """Why a submitted meeting does not count (empty when it does)."""
    if meeting.is_quorate or meeting.quorum_needed is None:
        return ""
    return _(
        "Not quorate: %(present)d of the %(voters)d members entitled to attend were "
        "present, and at least %(needed)d are needed. The meeting is kept in the record "
        "but is not valid, so it does not count toward the obligations."
    ) % {
        "present": meeting.quorum_present,
        "voters": meeting.quorum_voters,
        "needed": meeting.quorum_needed,
    }


# --- Meetings ---------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    organisation: Organisation,
    kind: str,
    data: MeetingData,
    by: AbstractBaseUser | None,
    attendance: Sequence[AttendanceEntry] = (),
    form_token: uuid.UUID | None = None,
) -> Meeting:
    """Record a draft meeting with its attendance.

    `form_token` comes from the create form; the same form posted twice is refused
    instead of making a second meeting.
    """
    # Re-read the organisation: adding a sibling in the tree can move its path, and
    # the attendance check compares paths.
    organisation = Organisation.objects.get(pk=organisation.pk)
    meeting_validate(organisation=organisation, kind=kind, data=data)
    _validate_attendance(organisation, attendance)
    duplicate = ValidationError(
        _("This form was already saved; the meeting is in the list."), code="duplicate"
    )
    fields = {
        "organisation": organisation,
        "kind": kind,
        "created_by": by,
        "form_token": form_token,
        **data.__dict__,
    }
    if form_token is None:
        meeting = Meeting.objects.create(**fields)
    else:
        if Meeting.objects.filter(form_token=form_token).exists():
            raise duplicate
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(**fields)
        except IntegrityError:  # the same form posted concurrently: the other one won
            raise duplicate from None
    _write_attendance(meeting, attendance, by=by)
    return meeting


def meeting_version(meeting: Meeting) -> str:
    """The edit page's version token: the record and its attendance list (a member
    signing in by QR while the secretary edits changes it too)."""
    rows = meeting.attendances.order_by("person_id").values_list(
        "person_id", "status", "leave_reason"
    )
    return version_token(meeting, MeetingData, rows)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    data: MeetingData,
    attendance: Sequence[AttendanceEntry],
    by: AbstractBaseUser | None,
    now: datetime.datetime | None = None,
    version: str = "",
) -> Meeting:
    """Change a meeting's record and attendance.

    A submitted meeting may still be corrected; it must stay valid as held, and the
    change is kept in its history. `version` is the edit page's `meeting_version`:
    when someone saved since, the change is refused (`StaleEdit`).
    """
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    check_version(version, meeting_version(meeting))
    held_before = meeting.held_at
    _validate_data(meeting.organisation, meeting.kind, data)
    _validate_attendance(meeting.organisation, attendance)
    for name, value in data.__dict__.items():
        setattr(meeting, name, value)
    _write_attendance(meeting, attendance, by=by)
    if meeting.is_submitted:
        _validate_held(meeting, now=now or timezone.now())  # rolls the change back
        # Corrected attendance may make or break the quorum.
        _record_quorum(meeting)
    meeting.save()
    if meeting.is_submitted:
        summary.refresh_organisation(
            meeting.organisation_id, _year(held_before), _year(meeting.held_at)
        )
    return meeting


def _year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).year


def _write_attendance(
    meeting: Meeting, entries: Sequence[AttendanceEntry], *, by: AbstractBaseUser | None
) -> None:
    """Make the attendance list exactly `entries`, keeping sign-in and make-up marks."""
    existing = {a.person_id: a for a in meeting.attendances.all()}
    wanted = {entry.person_id for entry in entries}
    for person_id, row in existing.items():
        if person_id not in wanted:
            row.delete()
    new_rows = []
    for entry in entries:
        row = existing.get(entry.person_id)
        reason = entry.leave_reason.strip() if entry.status == Attendance.Status.LEAVE else ""
        if row is None:
            new_rows.append(
                Attendance(
                    meeting=meeting,
                    person_id=entry.person_id,
                    status=entry.status,
                    leave_reason=reason,
                )
            )
        elif (row.status, row.leave_reason) != (entry.status, reason):
            row.status = entry.status
            row.leave_reason = reason
            if entry.status == Attendance.Status.PRESENT:
                row.makeup_done_on = None
            row.save()
    if new_rows:
        # A whole branch's list in two INSERTs (rows and their history), not two per person.
        bulk_create_with_history(new_rows, Attendance, default_user=by)


@transaction.atomic
def meeting_submit(
    *, meeting: Meeting, by: AbstractBaseUser | None, now: datetime.datetime | None = None
) -> Meeting:
    """Submit a draft as held: from now on it counts for compliance, if quorate.

    The row is locked first, so two submissions of the same meeting (a double click,
    two secretaries) run one after the other and the second is refused. The quorum
    is recorded as it stands; a meeting without it is submitted but does not count
    (see `quorum_message`).
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    if meeting.is_submitted:
        raise ValidationError(
            _("This meeting was already submitted on %(date)s; it is not submitted twice.")
            % {"date": date_format(timezone.localtime(meeting.submitted_at), "DATETIME_FORMAT")},
            code="already_submitted",
        )
    _validate_held(meeting, now=now)
    _record_quorum(meeting)
    meeting.status = Meeting.Status.SUBMITTED
    meeting.submitted_at = now
    meeting.submitted_by = by
    meeting.save()
    summary.refresh_organisation(meeting.organisation_id, _year(meeting.held_at))
    return meeting


# --- Attendance by members ----------------------------------------------------------


@transaction.atomic
def attendance_sign_in(
    *, meeting: Meeting, person: Person, now: datetime.datetime | None = None
) -> Attendance:
    """Mark an expected attendee present (the QR sign-in). Signing in twice is fine."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    if meeting.is_submitted:
        raise ValidationError(
            _(
                "The record of this meeting is already submitted; ask the secretary to "
                "correct your attendance."
            ),
            code="submitted",
        )
    if not expected_attendees(meeting.organisation, meeting.kind).filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s is not expected at this meeting of %(org)s, so cannot sign in to it.")
            % {"name": person.name, "org": meeting.organisation.name},
            code="not_expected",
        )
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={"status": Attendance.Status.PRESENT, "signed_in_at": now},
    )
    if not created and attendance.status != Attendance.Status.PRESENT:
        attendance.status = Attendance.Status.PRESENT
        attendance.leave_reason = ""
        attendance.makeup_done_on = None
        attendance.signed_in_at = now
        attendance.save()
    return attendance


@transaction.atomic
def makeup_mark_done(
    *, attendance: Attendance, person: Person, on: datetime.date | None = None
) -> Attendance:
    """A member marks the make-up study (补学) of a meeting they missed as done."""
    on = on or timezone.localdate()
    attendance = (
        Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance.pk)
    )
    if attendance.person_id != person.pk:
        raise ValidationError(_("Only the member who missed the meeting marks its make-up."))
    if attendance.status == Attendance.Status.PRESENT or not attendance.meeting.is_submitted:
        raise ValidationError(_("There is nothing to make up for this meeting."))
    if attendance.makeup_done_on is not None:
        raise ValidationError(
            _("The make-up study was already marked done on %(date)s.")
            % {"date": date_format(attendance.makeup_done_on)}
        )
    if on < timezone.localdate(attendance.meeting.held_at):
        raise ValidationError(_("A make-up study comes after the meeting."))
    attendance.makeup_done_on = on
    attendance.save()
    return attendance


# --- Attachments --------------------------------------------------------------------

# Photos of the sign-in sheet, minutes and slides.
ATTACHMENT_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx")


def validate_upload(upload: UploadedFile) -> str:
    """Check a meeting attachment (type by content, size); return its content type."""
    return uploads.validate_upload(
        upload, accepted=ATTACHMENT_TYPES, max_bytes=settings.MEETINGS_ATTACHMENT_MAX_BYTES
    )


@transaction.atomic
def attachment_add(
    *, meeting: Meeting, upload: UploadedFile, kind: str, by: AbstractBaseUser | None
) -> Attachment:
    """Keep a photo, sign-in sheet or document with a meeting, after checking it."""
    if kind not in Attachment.Kind.values:
        raise ValidationError(_("Unknown kind of attachment."))
    content_type = validate_upload(upload)
    return Attachment.objects.create(
        meeting=meeting,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


# --- QR sign-in tokens --------------------------------------------------------------

_SIGN_IN_SALT = "meetings.sign-in"


def sign_in_token(meeting: Meeting) -> str:
    """A short-lived token naming one meeting, for its QR code."""
    return signing.TimestampSigner(salt=_SIGN_IN_SALT).sign(str(meeting.pk))


def meeting_id_from_token(token: str) -> int:
    """The meeting a sign-in token names; refuses an expired or forged token."""
    signer = signing.TimestampSigner(salt=_SIGN_IN_SALT)
    try:
        return int(signer.unsign(token, max_age=settings.MEETINGS_SIGN_IN_MAX_AGE))
    except signing.SignatureExpired:
        raise ValidationError(
            _("This sign-in code has expired; ask the secretary to show a new one."),
            code="expired",
        ) from None
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("This sign-in code is not valid."), code="invalid") from None
