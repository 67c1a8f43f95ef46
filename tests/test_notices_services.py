"""Notices: who they reach, published once, read receipts that clear the bell,
withdrawal, and attachments checked by their content."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Person
from members.services import membership_end, membership_start
from notices import selectors, services
from notices.models import Notice, NoticeAttachment, NoticeReceipt
from notices.services import NoticeData
from notifications.models import Notification
from tests.factories import make_member

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


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


def draft(org, title="关于开展主题党日活动的通知", **fields) -> Notice:
    data = NoticeData(title=title, body=fields.pop("body", "各党支部：\n请按时参加。"), **fields)
    return services.notice_create(organisation=org, data=data, by=None)


def published(org, **fields) -> Notice:
    notice = draft(org, **fields)
    assert services.notice_publish(notice=notice, by=None, enqueue=False)
    services.notice_fan_out(notice_id=notice.pk)
    return notice


def names(people) -> set[str]:
    return {p.name for p in people}


# --- The audience ---


def test_a_notice_reaches_the_party_members_of_the_subtree_and_its_leaders(world):
    assert names(selectors.audience(world.general)) == {
        "张党员",
        "李党员",
        "赵书记",
        "钱书记",
        "吴组长",
        "孙总支",
    }
    # The branch: its members and leaders only; not the non-party staff (王群众).
    assert names(selectors.audience(world.branch)) == {"张党员", "赵书记", "吴组长"}
    assert "周党委" in names(selectors.audience(world.committee))
    assert "王群众" not in names(selectors.audience(world.committee))


def test_who_has_transferred_out_is_no_longer_addressed(world):
    membership_start(person=world.member, branch=world.other_branch, on=datetime.date(2026, 3, 1))
    assert "张党员" not in names(selectors.audience(world.branch))
    assert "张党员" in names(selectors.audience(world.other_branch))
    membership_end(person=world.other_member, on=datetime.date(2026, 3, 1))
    assert "李党员" not in names(selectors.audience(world.general))


def test_publishing_writes_a_receipt_per_addressee_and_a_notification_per_login(world):
    notice = published(world.branch)
    assert notice.receipts.count() == 3
    assert notice.receipts.filter(read_at__isnull=True).count() == 3
    notifications = Notification.objects.filter(reason="notice", period_key=f"notice-{notice.pk}")
    assert set(notifications.values_list("recipient__username", flat=True)) == {
        "member",
        "secretary",
        "group_leader",
    }
    assert notifications.first().url == f"/notices/{notice.pk}/"
    assert not notifications.filter(send_email=True).exists()  # only important ones e-mail


def test_an_important_notice_asks_for_an_email(world):
    notice = published(world.branch, importance=Notice.Importance.IMPORTANT)
    row = Notification.objects.get(recipient__username="member")
    assert row.send_email and row.period_key == f"notice-{notice.pk}"
    assert "Important notice" in row.title


def test_readers_without_a_login_get_a_receipt_but_no_notification(world):
    make_member(world.branch, name="无账号")
    notice = published(world.branch)
    assert notice.receipts.count() == 4
    assert Notification.objects.count() == 3


# --- Publishing ---


def test_it_publishes_once_and_queues_the_fan_out_once(world, django_capture_on_commit_callbacks):
    notice = draft(world.branch)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.notice_publish(notice=notice, by=world.secretary.user) is True
        assert services.notice_publish(notice=notice, by=world.secretary.user) is False
    assert len(callbacks) == 1
    notice.refresh_from_db()
    assert notice.is_published and notice.published_by == world.secretary.user
    assert notice.receipts.count() == 3
    assert notice.history.filter(status="published").exists()


def test_it_refuses_to_publish_a_withdrawn_or_expired_notice(world):
    notice = published(world.branch)
    services.notice_withdraw(notice=notice, by=None)
    with pytest.raises(ValidationError, match="withdrawn notice cannot be published"):
        services.notice_publish(notice=notice, by=None)
    old = draft(world.branch, expires_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="expired"):
        services.notice_publish(notice=old, by=None)
    old.refresh_from_db()
    assert old.is_draft and not old.receipts.exists()


def test_it_refuses_a_notice_without_title_or_text(world):
    with pytest.raises(ValidationError) as error:
        services.notice_create(organisation=world.branch, data=NoticeData(" ", ""), by=None)
    assert error.value.messages == ["Give the notice a title.", "Write the text of the notice."]
    assert not Notice.objects.exists()


def test_a_published_notice_is_final(world):
    notice = published(world.branch)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.notice_update(notice=notice, data=NoticeData("x", "y"), by=None)


def test_the_same_compose_form_submitted_twice_makes_one_draft(world):
    import uuid

    token = uuid.uuid4()
    data = NoticeData("通知", "正文")
    first = services.notice_create(organisation=world.branch, data=data, by=None, form_token=token)
    second = services.notice_create(organisation=world.branch, data=data, by=None, form_token=token)
    assert first.pk == second.pk and Notice.objects.count() == 1


# --- Receipts and the bell ---


def bell(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def test_reading_records_the_receipt_once_and_clears_the_bell(world):
    notice = published(world.branch)
    user = world.member.user
    assert bell(user) == 1
    first = services.receipt_record(notice=notice, person=world.member, user=user)
    read_at = first.read_at
    assert read_at is not None and bell(user) == 0
    again = services.receipt_record(notice=notice, person=world.member, user=user)
    assert again.read_at == read_at
    assert NoticeReceipt.objects.filter(notice=notice, person=world.member).count() == 1
    assert bell(world.secretary.user) == 1  # the others still have it


def test_someone_who_transferred_in_gets_a_receipt_when_they_read(world):
    notice = published(world.branch)
    membership_start(person=world.other_member, branch=world.branch, on=datetime.date(2026, 3, 1))
    world.other_member.refresh_from_db()
    from members.access import scope_for

    scope = scope_for(world.other_member.user)
    assert selectors.addressed_to(scope).filter(pk=notice.pk).exists()
    services.receipt_record(notice=notice, person=world.other_member)
    assert notice.receipts.count() == 4
    assert notice.receipts.filter(read_at__isnull=False).count() == 1


# --- Withdrawal ---


def test_a_withdrawn_notice_leaves_the_inbox_and_the_bell(world):
    from members.access import scope_for

    notice = published(world.branch)
    scope = scope_for(world.member.user)
    assert list(selectors.inbox(scope)) == [notice]
    assert services.notice_withdraw(notice=notice, by=None) is True
    assert services.notice_withdraw(notice=notice, by=None) is False
    assert list(selectors.inbox(scope)) == []
    assert bell(world.member.user) == 0
    assert services.notice_fan_out(notice_id=notice.pk) == 0  # a late fan-out adds nothing
    assert bell(world.member.user) == 0


# --- Attachments ---


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_it_keeps_a_real_pdf(world):
    notice = draft(world.branch)
    attachment = services.attachment_add(notice=notice, upload=upload("通知.pdf", PDF), by=None)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "通知.pdf",
        "application/pdf",
        len(PDF),
    )


def test_it_refuses_a_fake_pdf_and_keeps_none_of_the_batch(world):
    notice = draft(world.branch)
    files = [upload("a.pdf", PDF), upload("b.pdf", b"MZ\x90\x00 not a pdf at all")]
    with pytest.raises(ValidationError, match="does not contain what its name says"):
        services.attachments_add(notice=notice, uploads=files, by=None)
    assert not NoticeAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ", "not an accepted file type"),
        ("plain.docx", b"PK\x03\x04 just a zip header", "does not contain"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_it_refuses_other_files_with_a_clear_message(world, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(notice=draft(world.branch), upload=upload(name, content), by=None)


def test_it_refuses_a_file_over_the_limit(world, settings):
    settings.NOTICES_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="largest accepted file"):
        services.attachment_add(notice=draft(world.branch), upload=upload("a.pdf", PDF), by=None)


def test_it_accepts_real_office_files(world):
    import io
    import zipfile

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    notice = draft(world.branch)
    services.attachment_add(
        notice=notice,
        by=None,
        upload=upload("名单.xlsx", buffer.getvalue(), "application/octet-stream"),
    )
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    services.attachment_add(notice=notice, upload=upload("旧.doc", ole), by=None)
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError):  # a spreadsheet named as a Word file
        services.attachment_add(notice=notice, upload=upload("x.docx", fake.getvalue()), by=None)
    assert notice.attachments.count() == 2


def test_non_party_staff_are_not_addressed(world):
    assert world.masses.status == Person.Status.MASSES
    notice = published(world.branch)
    assert not notice.receipts.filter(person=world.masses).exists()
