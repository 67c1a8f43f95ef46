"""The audit trail: every file handed out is recorded, and the committee reads who
downloaded what and every recorded change; nobody else sees the trail."""

import pytest
from django.urls import reverse

from audit.models import Download
from members.services import membership_end


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_ledger_export_is_recorded_with_its_filters(world, login):
    client = login("secretary")
    response = client.get(f"/liaison/org/{world.branch.pk}/problems.xlsx?q=甲")
    assert response.status_code == 200
    download = Download.objects.get()
    assert download.username == "secretary"
    assert download.path == f"/liaison/org/{world.branch.pk}/problems.xlsx"
    assert download.query == "q=甲"
    assert download.filename.endswith(".xlsx")
    assert download.size == len(response.content)


def test_refused_downloads_and_ordinary_pages_leave_no_record(world, login):
    login("other_secretary").get(f"/liaison/org/{world.branch.pk}/problems.xlsx")
    login("secretary").get(reverse("branches:organisation_detail", args=[world.branch.pk]))
    assert not Download.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("member", 404), ("secretary", 404), ("general", 404), ("committee", 200), ("superuser", 200)],
)
def test_only_the_committee_reads_the_trail(world, login, persona, status):
    client = login(persona)
    assert client.get(reverse("audit:download_list")).status_code == status
    assert client.get(reverse("audit:change_list")).status_code == status


def test_the_committee_sees_who_downloaded_what(world, login):
    login("secretary").get(f"/liaison/org/{world.branch.pk}/visits.xlsx")
    page = login("committee").get(reverse("audit:download_list"), {"user": "secretary"})
    html = page.content.decode()
    assert f"/liaison/org/{world.branch.pk}/visits.xlsx" in html
    empty = login("committee").get(reverse("audit:download_list"), {"user": "member"})
    assert "Nothing has been downloaded yet." in empty.content.decode()


def test_the_committee_sees_a_membership_change(world, login):
    from django.utils import timezone

    membership_end(person=world.other_member, on=timezone.localdate())
    page = login("committee").get(reverse("audit:change_list"), {"model": "members.membership"})
    html = page.content.decode()
    assert "Changed" in html and "李党员" in html
    latest = login("committee").get(reverse("audit:change_list"))
    assert "李党员" in latest.content.decode()
