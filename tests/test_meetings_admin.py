"""The party-life admin: every page opens, meetings go through the services, a
submitted meeting is final, rows stay in the user's scope, and the meeting list does
not grow queries with rows."""

import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import ComplianceRule, Meeting, MeetingKind, QuorumRule
from meetings.services import AttendanceEntry, MeetingData, meeting_create, meeting_submit
from members.permissions import ensure_committee_admin_group
from tests.admin_helpers import form_data, make_staff, url
from tests.factories import make_member

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
HELD = datetime.datetime(2026, 5, 5, 9, tzinfo=SH)
User = get_user_model()

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "meetings"),
    key=lambda model: model._meta.label,
)


@pytest.fixture(autouse=True)
def english(settings, world):
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def draft(world, org=None, **fields):
    everyone = [
        AttendanceEntry(p.pk, "present")
        for p in (world.member, world.secretary, world.group_leader)
    ]
    return meeting_create(
        organisation=org or world.branch,
        kind=MeetingKind.GENERAL_MEETING,
        data=MeetingData(held_at=HELD, topic=fields.pop("topic", "学习党章"), **fields),
        attendance=everyone if org is None else [],
        by=None,
    )


# --- Every page opens ---


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_it_opens_every_changelist_and_add_page(superuser, model):
    assert superuser.get(url(model, "changelist")).status_code == 200
    assert superuser.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_it_opens_every_change_and_history_page(superuser, world, model):
    meeting = draft(world)
    objects = {
        ComplianceRule: ComplianceRule.objects.get(given_by="secretary"),
        QuorumRule: QuorumRule.objects.get(meeting_kind=MeetingKind.GENERAL_MEETING),
        Meeting: meeting,
    }
    obj = objects[model]
    assert superuser.get(url(model, "change", obj.pk)).status_code == 200
    assert superuser.get(url(model, "history", obj.pk)).status_code == 200


def test_it_opens_a_submitted_meeting_with_its_attendance_read_only(superuser, world):
    meeting = meeting_submit(meeting=draft(world), by=None)
    page = superuser.get(url(Meeting, "change", meeting.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.member.name in html and 'name="_save"' not in html
    data = form_data(page) if "adminform" in page.context else {}
    data["topic"] = "改过"
    assert superuser.post(url(Meeting, "change", meeting.pk), data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.topic == "学习党章"


def test_the_committee_group_manages_party_life():
    permissions = set(
        ensure_committee_admin_group().permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {
        ("meetings", "change_compliancerule"),
        ("meetings", "change_quorumrule"),
        ("meetings", "view_meeting"),
        ("meetings", "change_meeting"),
        ("notifications", "view_notification"),
    } <= permissions


# --- Writes through the services ---


def add_form(superuser, **values) -> dict:
    data = form_data(superuser.get(url(Meeting, "add")))
    data.update(
        {
            "held_at_0": "2026-05-05",
            "held_at_1": "09:00:00",
            "place": "会议室",
            "host": "",
            "recorder": "",
            "lecturer": "",
            "content": "",
            "resolutions": "",
        }
    )
    data.update(values)
    return data


def test_it_adds_a_draft_through_the_service(superuser, world):
    data = add_form(
        superuser, organisation=str(world.branch.pk), kind="theme_day", topic="主题党日"
    )
    response = superuser.post(url(Meeting, "add"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (meeting.status, meeting.kind, meeting.created_by.username) == (
        "draft",
        "theme_day",
        "superuser",
    )


def test_it_refuses_what_the_service_refuses_with_its_message(superuser, world):
    data = add_form(
        superuser, organisation=str(world.branch.pk), kind="group_meeting", topic="小组会"
    )
    page = superuser.post(url(Meeting, "add"), data)
    assert page.status_code == 200
    assert "does not hold" in page.content.decode()
    data = add_form(
        superuser,
        organisation=str(world.branch.pk),
        kind="theme_day",
        topic="主题党日",
        lecturer=str(world.secretary.pk),
    )
    assert (
        "Only a party lesson has a lecturer"
        in superuser.post(url(Meeting, "add"), data).content.decode()
    )
    assert not Meeting.objects.exists()


def test_it_edits_a_draft_and_keeps_its_attendance(superuser, world):
    meeting = draft(world)
    change = url(Meeting, "change", meeting.pk)
    data = form_data(superuser.get(change))
    data["topic"] = "学习新党章"
    assert superuser.post(change, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "学习新党章" and meeting.attendances.count() == 3
    assert meeting.history.count() == 2


def test_it_submits_drafts_by_an_action(superuser, world):
    ok = draft(world)
    thin = meeting_create(
        organisation=world.branch,
        kind=MeetingKind.GENERAL_MEETING,
        data=MeetingData(held_at=HELD, topic="人不够"),
        by=None,
        attendance=[
            AttendanceEntry(world.member.pk, "present"),
            AttendanceEntry(world.secretary.pk, "absent"),
            AttendanceEntry(world.group_leader.pk, "absent"),
        ],
    )
    incomplete = draft(world, org=world.branch, topic="没有考勤")
    page = superuser.post(
        url(Meeting, "changelist"),
        {
            "action": "submit_drafts",
            "_selected_action": [ok.pk, thin.pk, incomplete.pk],
        },
        follow=True,
    ).content.decode()
    assert "2 meetings submitted" in page
    assert "人不够: Not quorate" in page
    assert "没有考勤: Record attendance" in page
    assert set(Meeting.objects.submitted().values_list("topic", flat=True)) == {
        "学习党章",
        "人不够",
    }
    assert list(Meeting.objects.counted().values_list("topic", flat=True)) == ["学习党章"]


# --- Scope ---


def test_it_shows_a_general_branch_only_its_subtree(login, world):
    make_staff("general")
    mine = draft(world)
    outside = meeting_create(
        organisation=world.functional,
        kind=MeetingKind.THEME_DAY,
        data=MeetingData(held_at=HELD, topic="综合支部主题党日"),
        by=None,
    )
    client = login("general")
    page = client.get(url(Meeting, "changelist")).content.decode()
    assert mine.topic in page and outside.topic not in page
    assert client.get(url(Meeting, "change", mine.pk)).status_code == 200
    assert client.get(url(Meeting, "change", outside.pk)).status_code == 302  # not found
    # Rules and quorums are the whole tree's reference data.
    assert client.get(url(ComplianceRule, "changelist")).status_code == 200


def test_the_meeting_list_keeps_its_query_count_at_tenfold_data(superuser, world):
    """Prevents a query per row for the organisation shown in the list."""

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert superuser.get(url(Meeting, "changelist")).status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            meeting_create(
                organisation=world.branch,
                kind=MeetingKind.THEME_DAY,
                data=MeetingData(
                    held_at=HELD - datetime.timedelta(days=i),
                    topic=f"第{i}次",
                    host=world.secretary,
                ),
                attendance=[AttendanceEntry(make_member(world.branch).pk, "present")],
                by=None,
            )

    add(2)
    superuser.get(url(Meeting, "changelist"))
    small = measure()
    add(20)
    assert small == measure()


def test_an_attachment_links_to_the_scoped_download_not_the_media_file(superuser, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.services import attachment_add

    meeting = draft(world)
    upload = SimpleUploadedFile(
        "签到表.pdf", b"%PDF-1.7\n" + b"x" * 10, content_type="application/pdf"
    )
    attachment = attachment_add(meeting=meeting, upload=upload, kind="sign_in_sheet", by=None)
    html = superuser.get(url(Meeting, "change", meeting.pk)).content.decode()
    assert f'href="/meetings/{meeting.pk}/attachments/{attachment.pk}/"' in html
    assert attachment.file.url not in html
