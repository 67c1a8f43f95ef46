"""The notices admin: every page opens, drafts go through the services, a published
notice is final, receipts are read-only, rows stay in the user's scope, and the
change list does not grow queries with rows."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices import services
from notices.models import Notice, NoticeReceipt
from notices.services import NoticeData
from tests.admin_helpers import form_data, make_staff, url

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "notices"),
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


def notice(org, *, publish=True, title="通知") -> Notice:
    made = services.notice_create(organisation=org, data=NoticeData(title, "正文"), by=None)
    services.attachment_add(
        notice=made,
        by=None,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    )
    if publish:
        services.notice_publish(notice=made, by=None, enqueue=False)
    made.refresh_from_db()
    return made


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_it_opens_every_changelist(superuser, model):
    assert superuser.get(url(model, "changelist")).status_code == 200


def test_it_opens_the_pages_of_a_notice(superuser, world):
    published = notice(world.branch)
    page = superuser.get(url(Notice, "change", published.pk))
    html = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in html  # final: shown
    assert f"/notices/{published.pk}/attachments/" in html  # the scoped download
    assert superuser.get(url(Notice, "history", published.pk)).status_code == 200
    assert superuser.get(url(Notice, "add")).status_code == 200
    receipt = NoticeReceipt.objects.first()
    assert superuser.get(url(NoticeReceipt, "change", receipt.pk)).status_code == 200
    assert superuser.get(url(NoticeReceipt, "add")).status_code == 403


def test_it_adds_and_edits_a_draft_through_the_services(superuser, world):
    data = form_data(superuser.get(url(Notice, "add")))
    data.update(
        organisation=str(world.branch.pk),
        title="后台通知",
        body="正文",
        importance="normal",
        expires_on="",
    )
    response = superuser.post(url(Notice, "add"), data)
    assert response.status_code == 302
    draft = Notice.objects.get()
    assert draft.is_draft and draft.created_by.username == "superuser"
    data = form_data(superuser.get(url(Notice, "change", draft.pk)))
    data["title"] = "改过"
    superuser.post(url(Notice, "change", draft.pk), data)
    draft.refresh_from_db()
    assert draft.title == "改过"


def test_it_publishes_and_withdraws_by_actions(superuser, world):
    draft = notice(world.branch, publish=False)
    superuser.post(
        url(Notice, "changelist"), {"action": "publish_drafts", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.receipts.count() == 3
    superuser.post(
        url(Notice, "changelist"), {"action": "withdraw_published", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_withdrawn


def test_a_general_branch_sees_only_its_subtree(login, world):
    make_staff("general")
    mine = notice(world.branch, title="支部")
    theirs = notice(world.functional, title="综合", publish=False)
    client = login("general")
    html = client.get(url(Notice, "changelist")).content.decode()
    assert mine.title in html and theirs.title not in html
    assert client.get(url(Notice, "change", theirs.pk)).status_code in (302, 404)
    receipts = client.get(url(NoticeReceipt, "changelist")).context["cl"].queryset
    assert set(receipts.values_list("notice__organisation", flat=True)) == {world.branch.pk}


def test_the_changelist_keeps_its_query_count(superuser, world):
    """Prevents a query per row for the organisation."""
    notice(world.branch, title="一")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert superuser.get(url(Notice, "changelist")).status_code == 200
        return len(queries)

    small = count()
    for n in range(10):
        notice(world.other_branch, title=f"通知{n}")
    assert count() == small
