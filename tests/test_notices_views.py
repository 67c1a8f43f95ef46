"""Notices pages: who may open what (404 outside one's reach), reading clears the bell,
attachments download only through the scoped view, the receipt report and its export,
composing and publishing, and constant query counts as the data grow."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from branches.models import Organisation
from members.models import Person, Post
from members.services import post_assign
from notices import services
from notices.models import Notice
from notices.services import NoticeData
from notifications.models import Notification
from tests.conftest import PERSONAS
from tests.factories import PersonFactory, UserFactory, make_member, make_org

PDF = b"%PDF-1.4\n%%EOF\n"
OK, NOT_FOUND = 200, 404


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


def make_notice(org, *, publish=True, title="关于开展主题党日活动的通知", **fields) -> Notice:
    notice = services.notice_create(
        organisation=org,
        by=None,
        data=NoticeData(title, fields.pop("body", "各党员：\n请按时参加。"), **fields),
    )
    services.attachment_add(
        notice=notice,
        by=None,
        upload=SimpleUploadedFile("安排.pdf", PDF, content_type="application/pdf"),
    )
    if publish:
        services.notice_publish(notice=notice, by=None, enqueue=False)
        services.notice_fan_out(notice_id=notice.pk)
    notice.refresh_from_db()
    return notice


# --- The role matrix ---

# page -> persona -> status (personas not named get the default)
MATRIX = {
    "index": ({}, OK),
    "sent_list": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "create": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "detail": ({"unlinked": NOT_FOUND, "other_secretary": NOT_FOUND}, OK),
    "download": ({"unlinked": NOT_FOUND, "other_secretary": NOT_FOUND}, OK),
    "receipts": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "export": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "draft": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "person_panel": ({"unlinked": NOT_FOUND, "other_secretary": NOT_FOUND}, OK),
    "organisation_panel": (
        {
            "unlinked": NOT_FOUND,
            "member": NOT_FOUND,
            "group_leader": NOT_FOUND,
            "other_secretary": NOT_FOUND,
        },
        OK,
    ),
    "overview_panel": ({}, OK),
}


def url_of(page_name: str, world) -> str:
    notice = make_notice(world.branch)
    attachment = notice.attachments.get()
    return {
        "index": "/notices/",
        "sent_list": f"/notices/org/{world.branch.pk}/",
        "create": f"/notices/org/{world.branch.pk}/new/",
        "detail": f"/notices/{notice.pk}/",
        "download": f"/notices/{notice.pk}/attachments/{attachment.pk}/",
        "receipts": f"/notices/{notice.pk}/receipts/",
        "export": f"/notices/{notice.pk}/receipts/unread.xlsx",
        "draft": f"/notices/{make_notice(world.branch, publish=False).pk}/",
        "person_panel": f"/notices/panel/person/{world.member.pk}/",
        "organisation_panel": f"/notices/panel/org/{world.branch.pk}/",
        "overview_panel": "/notices/panel/overview/",
    }[page_name]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page_name", MATRIX)
def test_the_role_matrix(page_name, persona, login, world):
    overrides, default = MATRIX[page_name]
    response = login(persona).get(url_of(page_name, world))
    if persona == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == overrides.get(persona, default), persona


def test_a_notice_of_another_subtree_is_a_404_for_its_members(login, world):
    notice = make_notice(world.other_branch)
    assert login("member").get(f"/notices/{notice.pk}/").status_code == 404
    assert login("other_member").get(f"/notices/{notice.pk}/").status_code == 200


def test_members_read_notices_from_above_but_not_drafts(login, world):
    from_committee = make_notice(world.committee, title="党委通知")
    draft = make_notice(world.branch, publish=False, title="支部草稿")
    client = login("member")
    page = client.get("/notices/").content.decode()
    assert "党委通知" in page and "支部草稿" not in page
    assert client.get(f"/notices/{from_committee.pk}/").status_code == 200
    assert client.get(f"/notices/{draft.pk}/").status_code == 404


# --- Reading ---


def test_opening_a_notice_records_the_receipt_and_the_bell_drops(login, world):
    notice = make_notice(world.branch)
    client = login("member")
    assert Notification.objects.for_user(world.member.user).unread().count() == 1
    assert 'class="badge text-bg-danger me-1">Unread' in client.get("/notices/").content.decode()
    client.get(f"/notices/{notice.pk}/")
    client.get(f"/notices/{notice.pk}/")
    receipt = notice.receipts.get(person=world.member)
    assert receipt.read_at is not None
    assert Notification.objects.for_user(world.member.user).unread().count() == 0
    assert "Unread</span>" not in client.get("/notices/").content.decode()


def test_a_leader_looking_at_a_notice_below_is_not_counted_as_a_reader(login, world):
    notice = make_notice(world.branch)
    login("committee").get(f"/notices/{notice.pk}/")
    assert not notice.receipts.filter(read_at__isnull=False).exists()


def test_the_body_is_plain_text_with_line_breaks(login, world):
    notice = make_notice(world.branch, body="第一行\n<script>alert(1)</script>")
    html = login("member").get(f"/notices/{notice.pk}/").content.decode()
    assert "第一行<br>" in html and "&lt;script&gt;" in html and "<script>alert" not in html


def test_a_withdrawn_notice_is_hidden_from_readers(login, world):
    notice = make_notice(world.branch)
    services.notice_withdraw(notice=notice, by=None)
    member = login("member")
    assert member.get(f"/notices/{notice.pk}/").status_code == 404
    assert notice.title not in member.get("/notices/").content.decode()
    attachment = notice.attachments.get()
    assert member.get(f"/notices/{notice.pk}/attachments/{attachment.pk}/").status_code == 404
    # Its leaders still see it, marked withdrawn.
    assert "Withdrawn" in login("secretary").get(f"/notices/{notice.pk}/").content.decode()


def test_the_inbox_searches_and_filters_important(login, world):
    make_notice(world.branch, title="党费通知")
    make_notice(world.committee, title="重要部署", importance=Notice.Importance.IMPORTANT)
    client = login("member")
    page = client.get("/notices/?q=党费").content.decode()
    assert "党费通知" in page and "重要部署" not in page
    page = client.get("/notices/?important=1").content.decode()
    assert "重要部署" in page and "党费通知" not in page


def test_an_unlinked_login_sees_an_empty_state(login, world):
    make_notice(world.committee)
    page = login("unlinked").get("/notices/").content.decode()
    assert "not linked" in page


# --- Attachments ---


def test_an_attachment_downloads_with_its_name_for_a_reader(login, world):
    notice = make_notice(world.branch)
    attachment = notice.attachments.get()
    response = login("member").get(f"/notices/{notice.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    # An attachment of another notice is not reachable through this one.
    other = make_notice(world.other_branch)
    url = f"/notices/{notice.pk}/attachments/{other.attachments.get().pk}/"
    assert login("member").get(url).status_code == 404


# --- Compose, publish, withdraw ---


def test_a_secretary_writes_and_publishes_with_attachments(login, world):
    client = login("secretary")
    page = client.get(f"/notices/org/{world.branch.pk}/new/")
    token = page.context["form"].initial["form_token"]
    data = {
        "title": "支部通知",
        "body": "正文",
        "importance": "important",
        "expires_on": "",
        "form_token": str(token),
        "publish": "",
        "files": [
            SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\nxxxx", content_type="image/png"),
        ],
    }
    response = client.post(f"/notices/org/{world.branch.pk}/new/", data)
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert notice.is_published and notice.attachments.count() == 2
    assert notice.receipts.count() == 3


def test_a_fake_pdf_is_refused_on_the_form_and_nothing_is_saved(login, world):
    client = login("secretary")
    data = {
        "title": "支部通知",
        "body": "正文",
        "importance": "normal",
        "files": [
            SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
        ],
    }
    page = client.post(f"/notices/org/{world.branch.pk}/new/", data)
    assert page.status_code == 200
    assert "does not contain what its name says" in page.content.decode()
    assert not Notice.objects.exists()


def test_a_double_click_on_publish_publishes_once(login, world):
    notice = make_notice(world.branch, publish=False)
    client = login("secretary")
    client.post(f"/notices/{notice.pk}/publish/")
    page = client.post(f"/notices/{notice.pk}/publish/", follow=True).content.decode()
    assert "already published" in page
    assert notice.receipts.count() == 3


def test_an_other_branch_secretary_cannot_publish_or_withdraw(login, world):
    notice = make_notice(world.branch, publish=False)
    client = login("other_secretary")
    assert client.post(f"/notices/{notice.pk}/publish/").status_code == 404
    assert login("member").post(f"/notices/{notice.pk}/publish/").status_code == 404
    notice.refresh_from_db()
    assert notice.is_draft


def test_the_secretary_withdraws_and_the_bell_empties(login, world):
    notice = make_notice(world.branch)
    login("secretary").post(f"/notices/{notice.pk}/withdraw/")
    notice.refresh_from_db()
    assert notice.is_withdrawn
    assert not Notification.objects.filter(period_key=f"notice-{notice.pk}").exists()


def test_editing_a_draft_and_removing_an_attachment(login, world):
    notice = make_notice(world.branch, publish=False)
    client = login("secretary")
    attachment = notice.attachments.get()
    client.post(f"/notices/{notice.pk}/attachments/{attachment.pk}/remove/")
    client.post(
        f"/notices/{notice.pk}/edit/",
        {"title": "改过的标题", "body": "正文", "importance": "normal"},
    )
    notice.refresh_from_db()
    assert notice.title == "改过的标题" and not notice.attachments.exists()
    services.notice_publish(notice=notice, by=None, enqueue=False)
    response = client.get(f"/notices/{notice.pk}/edit/")
    assert response.status_code == 302  # a published notice is final


# --- The receipt report ---


def test_the_report_lists_who_has_not_read_by_branch(login, world):
    notice = make_notice(world.general, importance=Notice.Importance.IMPORTANT)
    login("member").get(f"/notices/{notice.pk}/")
    page = login("committee").get(f"/notices/{notice.pk}/receipts/")
    html = page.content.decode()
    assert (page.context["read"], page.context["addressed"]) == (1, 6)
    assert "李党员" in html and "孙总支" in html
    assert [r.person.name for r in page.context["page"].object_list].count("张党员") == 0
    filtered = login("general").get(
        f"/notices/{notice.pk}/receipts/?branch={world.other_branch.pk}"
    )
    assert [r.person.name for r in filtered.context["page"].object_list] == ["李党员", "钱书记"]


def test_the_export_has_the_non_readers_of_the_branch_filtered(login, world):
    notice = make_notice(world.general)
    response = login("general").get(
        f"/notices/{notice.pk}/receipts/unread.xlsx?branch={world.other_branch.pk}"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[1] for row in rows] == ["李党员", "钱书记"]
    assert sheet["A3"].value == "No."


# --- Panels ---


def test_the_panels_show_unread_notices_and_read_rates(login, world):
    notice = make_notice(world.branch, importance=Notice.Importance.IMPORTANT)
    member = login("member")
    assert notice.title in member.get(f"/notices/panel/person/{world.member.pk}/").content.decode()
    member.get(f"/notices/{notice.pk}/")
    assert (
        notice.title not in member.get(f"/notices/panel/person/{world.member.pk}/").content.decode()
    )
    organisation = login("secretary").get(f"/notices/panel/org/{world.branch.pk}/")
    assert "read 1/3" in organisation.content.decode()
    overview = login("committee").get("/notices/panel/overview/")
    assert "2 of 3" in overview.content.decode()


def test_the_host_pages_load_the_panels_by_htmx(login, world):
    html = login("member").get("/").content.decode()
    assert f'hx-get="/notices/panel/person/{world.member.pk}/"' in html
    html = login("committee").get("/").content.decode()
    assert 'hx-get="/notices/panel/overview/"' in html


# --- Query counts ---


def grow_tenfold(world) -> None:
    """Ten times the organisations, people, notices and receipts."""
    back = world.other_branch.segment
    for n in range(10):
        branch = make_org(f"新支部{n}", Organisation.Kind.BRANCH, world.general, segment=back)
        for _ in range(3):
            make_member(branch, user=UserFactory())
        post_assign(
            person=make_member(branch),
            organisation=branch,
            role=Post.Role.SECRETARY,
            on=datetime.date(2024, 1, 1),
        )
    for _ in range(20):
        make_member(world.branch, group=world.group, user=UserFactory())
    post_assign(
        person=PersonFactory(),
        organisation=world.general,
        role=Post.Role.PROPAGANDA,
        on=datetime.date(2024, 1, 1),
    )
    for org in Organisation.objects.filter(
        pk__in=[world.branch.pk, world.general.pk, world.committee.pk]
    ):
        for n in range(4):
            make_notice(
                org, title=f"{org.name}通知{n}", importance="important" if n % 2 else "normal"
            )
    make_notice(Organisation.objects.get(pk=world.branch.pk), publish=False)
    reader = Person.objects.get(pk=world.member.pk)
    for notice in Notice.objects.published()[:5]:
        services.receipt_record(notice=notice, person=reader)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# page -> (persona, pinned count). Every page pays 7 (savepoints, session, user, the
# scope's person and posts, the bell); a panel pays 6 (no bell, its own fetch). The
# inbox adds the reader's paths, the count and the rows; the detail the receipt (in a
# savepoint) and the notification it clears; the report one aggregate by branch, a
# count and the non-readers with their person, login and branch.
PINNED = {
    "inbox": ("member", 10),
    "inbox_secretary": ("secretary", 10),
    "sent_list": ("secretary", 10),
    "receipts": ("general", 11),
    "detail": ("member", 14),
    "person_panel": ("member", 8),
    "organisation_panel": ("secretary", 8),
    "overview_panel": ("committee", 7),
}


def pinned_url(page_name: str, world, notice: Notice) -> str:
    return {
        "inbox": "/notices/",
        "inbox_secretary": "/notices/?sort=newest",
        "sent_list": f"/notices/org/{world.branch.pk}/",
        "receipts": f"/notices/{notice.pk}/receipts/",
        "detail": f"/notices/{notice.pk}/",
        "person_panel": f"/notices/panel/person/{world.member.pk}/",
        "organisation_panel": f"/notices/panel/org/{world.branch.pk}/",
        "overview_panel": "/notices/panel/overview/",
    }[page_name]


@pytest.mark.parametrize("page_name", PINNED)
def test_the_query_count_stays_constant_as_data_grow(page_name, login, world):
    """Prevents a query per notice (organisation, read flag, receipt counts), per
    attachment or per non-reader (person, branch, login)."""
    persona, pinned = PINNED[page_name]
    notice = make_notice(world.general, importance=Notice.Importance.IMPORTANT)
    make_notice(world.branch, title="支部通知")  # every list has a row from the start
    client = login(persona)
    url = pinned_url(page_name, world, notice)
    client.get(url)  # warm the session and content-type caches
    small = count_queries(client, url)
    grow_tenfold(world)
    large = count_queries(client, url)
    assert (small, large) == (pinned, pinned)
