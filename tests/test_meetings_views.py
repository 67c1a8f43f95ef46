"""The secretary's pages: log a meeting with attendance, submit it, see the
obligations move; scoping; sign-in by QR; the ledger export; pinned query counts."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from meetings.models import Attendance, Meeting, MeetingKind
from meetings.services import AttendanceEntry, MeetingData, meeting_create, sign_in_token
from notifications.models import Notification
from tests.factories import make_member

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 5, 20, 15, tzinfo=SH)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def frozen(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        yield


def committee_form(client, world, **overrides):
    """The create form as the browser would post it, pre-filled rows included."""
    page = client.get(f"/meetings/org/{world.branch.pk}/new/?kind=committee_meeting")
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    people = re.findall(r'name="att-(\d+)-person" value="(\d+)"', html)
    data = {
        "kind": "committee_meeting", "form_token": token, "held_at": "2026-05-19T09:00",
        "place": "三楼会议室", "topic": "研究五月工作", "content": "", "resolutions": "",
        "host": "", "recorder": "",
        "att-TOTAL_FORMS": str(len(people)), "att-INITIAL_FORMS": str(len(people)),
        "att-MIN_NUM_FORMS": "0", "att-MAX_NUM_FORMS": "1000",
    }
    for index, person in people:
        data[f"att-{index}-person"] = person
        data[f"att-{index}-status"] = "present"
        data[f"att-{index}-leave_reason"] = ""
    data.update(overrides)
    return data, [int(p) for _, p in people]


def test_a_secretary_logs_and_submits_a_committee_meeting(login, world):
    for _ in range(4):  # seven full members: the branch has a committee to meet monthly
        make_member(world.branch)
    client = login("secretary")
    data, people = committee_form(client, world)
    assert people == [world.secretary.pk]  # the committee in post, pre-filled
    response = client.post(f"/meetings/org/{world.branch.pk}/new/", data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == f"/meetings/{meeting.pk}/"
    # The same form posted again (a double click) makes no second meeting.
    again = client.post(f"/meetings/org/{world.branch.pk}/new/", data)
    assert again.status_code == 200 and "already saved" in again.content.decode()
    assert Meeting.objects.count() == 1
    client.post(f"/meetings/{meeting.pk}/submit/")
    meeting.refresh_from_db()
    assert meeting.is_submitted
    second = client.post(f"/meetings/{meeting.pk}/submit/", follow=True)
    assert "already submitted" in second.content.decode()
    panel = client.get(f"/orgs/{world.branch.pk}/").content.decode()
    assert "1/1" in panel


def test_it_refuses_a_future_meeting_as_held_with_a_message(login, world):
    client = login("secretary")
    data, _ = committee_form(client, world, held_at="2026-05-28T09:00")
    client.post(f"/meetings/org/{world.branch.pk}/new/", data)
    meeting = Meeting.objects.get()
    page = client.post(f"/meetings/{meeting.pk}/submit/", follow=True).content.decode()
    assert "in the future" in page
    meeting.refresh_from_db()
    assert not meeting.is_submitted


def test_it_refuses_an_attendee_from_another_branch(login, world):
    client = login("secretary")
    data, _ = committee_form(client, world)
    data.update({"att-TOTAL_FORMS": "2", "att-1-person": str(world.other_member.pk),
                 "att-1-status": "present", "att-1-leave_reason": ""})
    page = client.post(f"/meetings/org/{world.branch.pk}/new/", data).content.decode()
    assert world.other_member.name in page and "not on its attendance list" in page
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_it_refuses_a_bad_attachment_with_a_message(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = meeting_create(organisation=world.branch, kind=MeetingKind.THEME_DAY,
                             data=MeetingData(held_at=NOW, topic="t"), by=None)
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    page = login("secretary").post(f"/meetings/{meeting.pk}/attachments/",
                                   {"kind": "photo", "file": upload}, follow=True)
    assert "not an accepted file type" in page.content.decode()
    assert not meeting.attachments.exists()


@pytest.mark.parametrize("url", [
    "/meetings/org/{other}/", "/meetings/org/{other}/new/?kind=theme_day",
    "/meetings/org/{other}/compliance/", "/meetings/org/{other}/calendar/",
    "/meetings/org/{other}/ledger.xlsx", "/meetings/{meeting}/", "/meetings/{meeting}/edit/",
    "/meetings/{meeting}/qr/",
])
def test_a_secretary_cannot_see_another_branchs_meetings(login, world, url):
    meeting = meeting_create(organisation=world.other_branch, kind=MeetingKind.THEME_DAY,
                             data=MeetingData(held_at=NOW, topic="t"), by=None)
    url = url.format(other=world.other_branch.pk, meeting=meeting.pk)
    assert login("secretary").get(url).status_code == 404
    assert login("member").get(url).status_code == 404
    assert login("general").get(url).status_code == 200


def test_a_secretary_cannot_log_for_another_branch(login, world):
    response = login("secretary").post(f"/meetings/org/{world.other_branch.pk}/new/",
                                       {"kind": "theme_day"})
    assert response.status_code == 404
    assert login("secretary").post(f"/meetings/{1}/submit/").status_code == 404


def test_a_member_signs_in_by_qr_code(login, world):
    meeting = meeting_create(organisation=world.branch, kind=MeetingKind.THEME_DAY,
                             data=MeetingData(held_at=NOW, topic="t"), by=None)
    qr = login("secretary").get(f"/meetings/{meeting.pk}/qr/")
    assert b"<svg" in qr.content
    token = sign_in_token(meeting)
    assert login("anonymous").get(f"/meetings/sign-in/{token}/").status_code == 302
    assert login("member").get(f"/meetings/sign-in/{token}/").status_code == 200
    assert Attendance.objects.get(meeting=meeting).person == world.member
    refused = login("other_member").get(f"/meetings/sign-in/{token}/")
    assert refused.status_code == 400 and "not expected" in refused.content.decode()


def test_a_member_marks_a_makeup_done(login, world):
    meeting = meeting_create(
        organisation=world.branch, kind=MeetingKind.THEME_DAY,
        data=MeetingData(held_at=NOW - datetime.timedelta(days=2), topic="t"), by=None,
        attendance=[AttendanceEntry(world.member.pk, "absent"),
                    AttendanceEntry(world.secretary.pk, "present"),
                    AttendanceEntry(world.group_leader.pk, "present")],
    )
    Meeting.objects.filter(pk=meeting.pk).update(status="submitted", submitted_at=NOW)
    client = login("member")
    assert "1 missed meeting" in client.get("/").content.decode()
    row = Attendance.objects.get(person=world.member)
    assert login("secretary").post(f"/meetings/attendance/{row.pk}/make-up/").status_code == 404
    client.post(f"/meetings/attendance/{row.pk}/make-up/")
    row.refresh_from_db()
    assert row.makeup_done_on == NOW.date()


def test_it_exports_the_yearly_ledger_with_chinese_headers(login, world):
    meeting = meeting_create(
        organisation=world.branch, kind=MeetingKind.THEME_DAY,
        data=MeetingData(held_at=NOW - datetime.timedelta(days=1), topic="主题党日活动"),
        by=None, attendance=[AttendanceEntry(world.member.pk, "present")],
    )
    Meeting.objects.filter(pk=meeting.pk).update(status="submitted", submitted_at=NOW)
    response = login("secretary").get(f"/meetings/org/{world.branch.pk}/ledger.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "2026年三会一课台账"
    assert [c.value for c in sheet[2]][:3] == ["序号", "会议类型", "日期"]
    assert sheet["B3"].value == "主题党日" and sheet["I3"].value == "主题党日活动"


def test_the_committee_sees_the_rollup_and_the_calendar(login, world):
    client = login("committee")
    assert world.branch.name in client.get("/").content.decode()
    page = client.get(f"/meetings/org/{world.committee.pk}/compliance/").content.decode()
    assert world.group.name in page
    calendar = client.get(f"/meetings/org/{world.branch.pk}/calendar/?month=2026-06")
    assert calendar.status_code == 200 and "2026-06" in calendar.content.decode()


def test_the_bell_counts_unread_and_the_list_marks_read(login, world):
    Notification.objects.create(recipient=world.secretary.user, reason="r", period_key="1",
                                title="提醒", url="/meetings/mine/")
    client = login("secretary")
    assert 'bg-warning text-dark">1<' in client.get("/meetings/mine/").content.decode()
    assert "提醒" in client.get("/notifications/").content.decode()
    assert not Notification.objects.unread().exists()


def test_the_meeting_list_keeps_its_query_count_at_tenfold_data(login, world):
    """Prevents the N+1 of a query per meeting for its attendance counts or host."""
    client = login("secretary")
    url = f"/meetings/org/{world.branch.pk}/"

    def add_meetings(n):
        for i in range(n):
            meeting_create(
                organisation=world.branch, kind=MeetingKind.THEME_DAY,
                data=MeetingData(held_at=NOW - datetime.timedelta(days=i + 1), topic=f"第{i}次",
                                 host=world.secretary),
                attendance=[AttendanceEntry(world.member.pk, "present"),
                            AttendanceEntry(make_member(world.branch).pk, "absent")],
                by=None,
            )

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_meetings(2)
    client.get(url)
    small = measure()
    add_meetings(20)
    # 7 every page pays (see test_query_counts), the organisation, the count for the
    # pager, the meetings with their counts and host, and the years for the filter.
    assert (small, measure()) == (11, 11)


def test_a_meeting_without_quorum_is_submitted_but_says_why_it_does_not_count(login, world):
    meeting = meeting_create(
        organisation=world.branch, kind=MeetingKind.GENERAL_MEETING,
        data=MeetingData(held_at=NOW - datetime.timedelta(days=1), topic="党员大会"), by=None,
        attendance=[AttendanceEntry(world.member.pk, "present"),
                    AttendanceEntry(world.secretary.pk, "leave", "出差"),
                    AttendanceEntry(world.group_leader.pk, "absent")],
    )
    client = login("secretary")
    draft = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "1 of 3 entitled to attend are marked present" in draft
    assert "would not be valid" in draft
    page = client.post(f"/meetings/{meeting.pk}/submit/", follow=True).content.decode()
    meeting.refresh_from_db()
    assert meeting.is_submitted and not meeting.is_quorate
    assert "Not quorate: 1 of the 3 members entitled to attend were present" in page
    assert "does not count toward the obligations" in page
    assert "Not quorate" in client.get(f"/meetings/org/{world.branch.pk}/").content.decode()
    assert "1 of 3 entitled to attend were present; 2 needed" in client.get(
        f"/meetings/{meeting.pk}/").content.decode()


def test_it_serves_an_attachment_only_to_those_who_may_see_its_meeting(login, world):
    """Uploaded files go through a scoped view; /media/ is never served raw."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = meeting_create(organisation=world.branch, kind=MeetingKind.THEME_DAY,
                             data=MeetingData(held_at=NOW, topic="t"), by=None)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
           b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
           b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    upload = SimpleUploadedFile("签到表.png", png, content_type="image/png")
    login("secretary").post(f"/meetings/{meeting.pk}/attachments/",
                            {"kind": "photo", "file": upload})
    attachment = meeting.attachments.get()
    url = f"/meetings/{meeting.pk}/attachments/{attachment.pk}/"
    response = login("secretary").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png
    assert "attachment" in response["Content-Disposition"]
    assert login("other_secretary").get(url).status_code == 404
    assert login("anonymous").get(url).status_code == 302
    assert login("secretary").get(f"/media/{attachment.file.name}").status_code == 404
