"""Logging a meeting: the one write path, and the bad input it refuses with a clear
message and nothing half-saved."""

import datetime
import io
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Attachment, Attendance, Meeting, MeetingKind, QuorumRule
from meetings.selectors import obligations_of
from meetings.services import (
    AttendanceEntry,
    MeetingData,
    attachment_add,
    attendance_sign_in,
    makeup_mark_done,
    meeting_create,
    meeting_id_from_token,
    meeting_submit,
    meeting_update,
    quorum_message,
    sign_in_token,
)
from members.services import post_assign
from tests.factories import make_member

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 20, 10, tzinfo=SH)
PRESENT, LEAVE, ABSENT = "present", "leave", "absent"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def everyone(world, status=PRESENT):
    """An entry for each party member of the branch (the general meeting's list)."""
    return [AttendanceEntry(p.pk, status) for p in
            (world.member, world.secretary, world.group_leader)]


def general_meeting(world, *, held_at=None, attendance=None, **kwargs):
    return meeting_create(
        organisation=world.branch, kind=MeetingKind.GENERAL_MEETING,
        data=MeetingData(held_at=held_at or NOW - datetime.timedelta(days=1), topic="学习党章"),
        attendance=everyone(world) if attendance is None else attendance,
        by=world.secretary.user, **kwargs,
    )


@pytest.fixture(autouse=True)
def fresh_paths(world):
    """Adding siblings moves tree paths; reload the persona organisations."""
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_records_and_submits_a_meeting(world):
    meeting = general_meeting(world)
    meeting_submit(meeting=meeting, by=world.secretary.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED
    assert meeting.submitted_by == world.secretary.user
    assert meeting.attendances.count() == 3
    assert meeting.history.count() == 2


def test_it_refuses_a_future_meeting_as_held(world):
    meeting = general_meeting(world, held_at=NOW + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="in the future"):
        meeting_submit(meeting=meeting, by=world.secretary.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_it_refuses_attendance_for_someone_outside_the_organisation(world):
    entries = [*everyone(world), AttendanceEntry(world.other_member.pk, PRESENT)]
    with pytest.raises(ValidationError, match=world.other_member.name):
        general_meeting(world, attendance=entries)
    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists()


def test_it_refuses_to_submit_with_expected_members_unaccounted(world):
    meeting = general_meeting(world, attendance=[AttendanceEntry(world.member.pk, PRESENT)])
    with pytest.raises(ValidationError, match=world.secretary.name):
        meeting_submit(meeting=meeting, by=world.secretary.user)


def test_it_refuses_leave_without_a_reason(world):
    entries = [AttendanceEntry(world.member.pk, LEAVE)]
    with pytest.raises(ValidationError, match="reason"):
        general_meeting(world, attendance=entries)
    assert not Meeting.objects.exists()


def test_it_refuses_a_second_submission(world):
    meeting = general_meeting(world)
    meeting_submit(meeting=meeting, by=world.secretary.user)
    with pytest.raises(ValidationError, match="already submitted"):
        meeting_submit(meeting=meeting, by=world.secretary.user)
    assert Meeting.objects.get().history.count() == 2


def test_it_refuses_the_same_create_form_twice(world):
    token = uuid.uuid4()
    general_meeting(world, form_token=token)
    with pytest.raises(ValidationError, match="already saved"):
        general_meeting(world, form_token=token)
    assert Meeting.objects.count() == 1


def test_it_keeps_a_submitted_meeting_valid_when_corrected(world):
    meeting = general_meeting(world)
    meeting_submit(meeting=meeting, by=world.secretary.user)
    data = MeetingData(held_at=meeting.held_at, topic="新题目")
    with pytest.raises(ValidationError, match="missing"):
        meeting_update(meeting=meeting, data=data, attendance=everyone(world)[:1],
                       by=world.secretary.user)
    meeting.refresh_from_db()
    assert meeting.topic == "学习党章" and meeting.attendances.count() == 3
    meeting_update(meeting=meeting, data=data, attendance=everyone(world),
                   by=world.secretary.user)
    assert meeting.history.first().topic == "新题目"


def test_it_refuses_a_group_meeting_for_a_branch(world):
    with pytest.raises(ValidationError, match="does not hold"):
        meeting_create(organisation=world.branch, kind=MeetingKind.GROUP_MEETING,
                       data=MeetingData(held_at=NOW, topic="t"), by=None)


def test_it_lets_an_expected_member_sign_in_once(world):
    meeting = general_meeting(world, attendance=[])
    token = sign_in_token(meeting)
    assert meeting_id_from_token(token) == meeting.pk
    attendance_sign_in(meeting=meeting, person=world.member)
    attendance_sign_in(meeting=meeting, person=world.member)
    row = Attendance.objects.get()
    assert row.status == PRESENT and row.signed_in_at is not None


def test_it_refuses_sign_in_by_someone_not_expected(world):
    meeting = general_meeting(world, attendance=[])
    with pytest.raises(ValidationError, match="not expected"):
        attendance_sign_in(meeting=meeting, person=world.other_member)


def test_it_refuses_an_expired_sign_in_code(world):
    meeting = general_meeting(world, attendance=[])
    token = sign_in_token(meeting)
    with time_machine.travel(NOW + datetime.timedelta(hours=3)), \
            pytest.raises(ValidationError, match="expired"):
        meeting_id_from_token(token)
    with pytest.raises(ValidationError, match="not valid"):
        meeting_id_from_token(token + "x")


def test_it_lets_the_member_mark_a_makeup_done_once(world):
    entries = [AttendanceEntry(world.member.pk, LEAVE, "出差"), *everyone(world)[1:]]
    meeting = general_meeting(world, attendance=entries)
    meeting_submit(meeting=meeting, by=world.secretary.user)
    row = Attendance.objects.get(person=world.member)
    with pytest.raises(ValidationError, match="Only the member"):
        makeup_mark_done(attendance=row, person=world.secretary)
    makeup_mark_done(attendance=row, person=world.member)
    with pytest.raises(ValidationError, match="already marked"):
        makeup_mark_done(attendance=row, person=world.member)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("photo.exe", PNG, "image/png", "not an accepted file type"),
        ("photo.png", b"MZ\x90\0" + b"\0" * 100, "image/png", "does not contain"),
        ("photo.docx", b"PK\x03\x04" + b"\0" * 100, "application/octet-stream",
         "does not contain"),
    ],
)
def test_it_refuses_a_bad_attachment(world, name, content, content_type, message):
    meeting = general_meeting(world)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with pytest.raises(ValidationError, match=message):
        attachment_add(meeting=meeting, upload=upload, kind="photo", by=None)
    assert not Attachment.objects.exists()


def test_it_refuses_a_too_large_attachment(world, settings):
    settings.MEETINGS_ATTACHMENT_MAX_BYTES = 50
    meeting = general_meeting(world)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError, match="largest accepted"):
        attachment_add(meeting=meeting, upload=upload, kind="photo", by=None)


def test_the_content_decides_the_type_not_what_the_browser_declares(world):
    meeting = general_meeting(world)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="application/x-msdownload")
    attachment = attachment_add(meeting=meeting, upload=upload, kind="photo", by=None)
    assert attachment.content_type == "image/png"


def test_it_keeps_a_good_attachment(world):
    meeting = general_meeting(world)
    upload = SimpleUploadedFile("签到表.pdf", b"%PDF-1.7\n" + b"x" * 10,
                                content_type="application/pdf")
    attachment = attachment_add(meeting=meeting, upload=upload, kind="sign_in_sheet", by=None)
    assert attachment.size == 19 and attachment.content_type == "application/pdf"
    assert io.BytesIO(attachment.file.read()).read(5) == b"%PDF-"


# --- Quorum -------------------------------------------------------------------------


def counted(world):
    return Meeting.objects.filter(organisation=world.branch).counted().count()


def test_it_submits_a_meeting_without_quorum_but_does_not_count_it(world):
    # Three full members: more than half is two; one present is not enough.
    entries = [AttendanceEntry(world.member.pk, PRESENT),
               AttendanceEntry(world.secretary.pk, LEAVE, "出差"),
               AttendanceEntry(world.group_leader.pk, ABSENT)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries),
                             by=world.secretary.user)
    assert meeting.is_submitted and not meeting.is_quorate
    assert (meeting.quorum_voters, meeting.quorum_present, meeting.quorum_needed) == (3, 1, 2)
    assert counted(world) == 0
    assert "1 of the 3" in quorum_message(meeting) and "does not count" in quorum_message(meeting)
    compliance = obligations_of(world.branch, on=NOW.date())
    general = next(o for o in compliance.obligations
                   if o.rule.meeting_kind == MeetingKind.GENERAL_MEETING)
    assert general.held == 0


def test_it_counts_a_meeting_with_more_than_half_present(world):
    entries = [AttendanceEntry(world.member.pk, PRESENT),
               AttendanceEntry(world.secretary.pk, PRESENT),
               AttendanceEntry(world.group_leader.pk, ABSENT)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries),
                             by=world.secretary.user)
    assert meeting.is_quorate and quorum_message(meeting) == ""
    assert counted(world) == 1


def test_exactly_half_is_not_more_than_half(world):
    fourth = make_member(world.branch)
    entries = [AttendanceEntry(world.member.pk, PRESENT),
               AttendanceEntry(world.secretary.pk, PRESENT),
               AttendanceEntry(world.group_leader.pk, ABSENT),
               AttendanceEntry(fourth.pk, ABSENT)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries),
                             by=world.secretary.user)
    assert (meeting.quorum_voters, meeting.quorum_needed, meeting.is_quorate) == (4, 3, False)


def test_probationary_members_have_no_vote_in_the_quorum(world):
    # Two full members of three absent: the probationary members present do not help.
    probationary = [make_member(world.branch, status="probationary") for _ in range(3)]
    entries = [AttendanceEntry(world.member.pk, PRESENT),
               AttendanceEntry(world.secretary.pk, ABSENT),
               AttendanceEntry(world.group_leader.pk, ABSENT),
               *(AttendanceEntry(p.pk, PRESENT) for p in probationary)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries),
                             by=world.secretary.user)
    assert (meeting.quorum_voters, meeting.quorum_present, meeting.is_quorate) == (3, 1, False)


def test_a_committee_meeting_needs_more_than_half_of_the_committee(world):
    deputy = make_member(world.branch)
    post_assign(person=deputy, organisation=world.branch, role="organisation",
                on=datetime.date(2024, 1, 1))
    meeting = meeting_create(
        organisation=world.branch, kind=MeetingKind.COMMITTEE_MEETING,
        data=MeetingData(held_at=NOW - datetime.timedelta(days=1), topic="支委会"), by=None,
        attendance=[AttendanceEntry(world.secretary.pk, PRESENT),
                    AttendanceEntry(deputy.pk, LEAVE, "培训")],
    )
    meeting = meeting_submit(meeting=meeting, by=None)
    assert (meeting.quorum_voters, meeting.quorum_needed, meeting.is_quorate) == (2, 2, False)


def test_it_follows_the_quorum_edited_in_the_admin(world):
    QuorumRule.objects.filter(meeting_kind=MeetingKind.GENERAL_MEETING).update(
        more_than_percent=80)  # four fifths, as for an election
    entries = [*everyone(world)[:2], AttendanceEntry(world.group_leader.pk, ABSENT)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries), by=None)
    assert (meeting.quorum_needed, meeting.is_quorate) == (3, False)
    QuorumRule.objects.update(is_enabled=False)
    other = meeting_submit(meeting=general_meeting(world, attendance=entries), by=None)
    assert other.is_quorate and other.quorum_needed is None


def test_a_correction_of_attendance_can_restore_the_quorum(world):
    entries = [AttendanceEntry(world.member.pk, PRESENT),
               AttendanceEntry(world.secretary.pk, ABSENT),
               AttendanceEntry(world.group_leader.pk, ABSENT)]
    meeting = meeting_submit(meeting=general_meeting(world, attendance=entries), by=None)
    assert not meeting.is_quorate
    meeting_update(meeting=meeting, data=MeetingData(held_at=meeting.held_at, topic="学习党章"),
                   attendance=everyone(world), by=world.secretary.user)
    meeting.refresh_from_db()
    assert meeting.is_quorate and meeting.quorum_present == 3
    assert counted(world) == 1
    assert meeting.history.count() == 3  # created, submitted, corrected: one row each
