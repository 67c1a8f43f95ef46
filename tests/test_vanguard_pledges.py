"""Pledges and member cards: one pledge per member per year, the member writes it and
the branch secretary approves or returns it; drafts stay private; the card shows the
approved pledge and the posts."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from members.models import Person
from tests.factories import make_member
from vanguard.models import Pledge
from vanguard.services import pledge_approve, pledge_save

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english(world, settings):
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
    with translation.override("en"):
        yield


def write(world, text="立足岗位，服务基层", submit=True, person=None):
    person = person or world.member
    return pledge_save(person=person, year=YEAR, text=text, submit=submit, by=person.user)


def test_the_member_writes_and_the_secretary_approves(world, login):
    member = login("member")
    response = member.post(
        "/vanguard/pledge/", {"year": YEAR, "text": "保障物资供应及时", "submit": "1"}
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.branch == world.branch
    secretary = login("secretary")
    page = secretary.get(f"/vanguard/org/{world.branch.pk}/pledges/")
    assert "保障物资供应及时" in page.content.decode()
    secretary.post(f"/vanguard/pledges/{pledge.pk}/approve/")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED and pledge.reviewed_by == world.secretary
    card = login("other_secretary")  # out of scope
    assert card.get(f"/vanguard/card/{world.member.pk}/").status_code == 404
    page = secretary.get(f"/vanguard/card/{world.member.pk}/").content.decode()
    assert "保障物资供应及时" in page and "data-print" in page and "<svg" in page
    # Its print styles are in portal.css (an inline <style> would break the CSP).
    assert "@media print" in (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()


def test_one_pledge_per_member_per_year_and_a_double_submit_makes_one(world):
    write(world)
    write(world)
    assert Pledge.objects.count() == 1
    with pytest.raises(Exception) as error:
        write(world, text="另一份承诺")
    assert "awaiting approval" in str(error.value)
    assert Pledge.objects.get().text == "立足岗位，服务基层"


def test_an_approved_pledge_is_final(world):
    pledge = write(world)
    pledge_approve(pledge=pledge, by=world.secretary.user)
    with pytest.raises(Exception) as error:
        write(world, text="改一改")
    assert "approved" in str(error.value)
    with pytest.raises(Exception) as error:
        pledge_approve(pledge=pledge, by=world.secretary.user)
    assert "no longer awaiting approval" in str(error.value)


def test_return_needs_a_reason_and_the_member_then_edits(world, login):
    pledge = write(world)
    secretary = login("secretary")
    secretary.post(f"/vanguard/pledges/{pledge.pk}/return/", {"reason": "  "})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    response = secretary.post(
        f"/vanguard/pledges/{pledge.pk}/return/", {"reason": "请结合岗位写具体"}, follow=True
    )
    assert "was returned" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RETURNED and pledge.return_reason == "请结合岗位写具体"
    page = login("member").get("/vanguard/pledge/").content.decode()
    assert "请结合岗位写具体" in page
    write(world, text="合同履约当先锋")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.text == "合同履约当先锋"


def test_only_the_branch_leader_reviews(world, login):
    pledge = write(world)
    assert (
        login("other_secretary").post(f"/vanguard/pledges/{pledge.pk}/approve/").status_code == 404
    )
    assert login("member").post(f"/vanguard/pledges/{pledge.pk}/approve/").status_code == 404
    with pytest.raises(Exception) as error:
        pledge_approve(pledge=pledge, by=world.other_secretary.user)
    assert "do not lead" in str(error.value)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    login("general").post(f"/vanguard/pledges/{pledge.pk}/approve/")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED


def test_a_secretary_does_not_approve_their_own_pledge(world):
    pledge = write(world, person=world.secretary)
    with pytest.raises(Exception) as error:
        pledge_approve(pledge=pledge, by=world.secretary.user)
    assert "another leader" in str(error.value)


def test_bad_input_is_refused_with_a_message_and_nothing_saved(world, login):
    member = login("member")
    response = member.post("/vanguard/pledge/", {"year": YEAR, "text": "", "submit": "1"})
    assert response.status_code == 200 and Pledge.objects.count() == 0
    response = member.post("/vanguard/pledge/", {"year": YEAR - 3, "text": "承诺", "submit": "1"})
    assert "this year or the next" in response.content.decode()
    assert Pledge.objects.count() == 0
    with pytest.raises(Exception) as error:
        pledge_save(person=world.masses, year=YEAR, text="承诺", submit=True, by=world.member.user)
    assert "their own pledge" in str(error.value) and "Only party members" in str(error.value)
    assert Pledge.objects.count() == 0


def test_a_draft_is_private_to_its_member(world, login):
    write(world, text="草稿里的承诺", submit=False)
    assert (
        "草稿里的承诺" in login("member").get(f"/vanguard/card/{world.member.pk}/").content.decode()
    )
    for persona in ("secretary", "general", "committee"):
        client = login(persona)
        assert (
            "草稿里的承诺" not in client.get(f"/vanguard/card/{world.member.pk}/").content.decode()
        )
        assert (
            "草稿里的承诺"
            not in client.get(f"/vanguard/org/{world.branch.pk}/pledges/").content.decode()
        )
        assert (
            "草稿里的承诺"
            not in client.get(f"/vanguard/panel/person/{world.member.pk}/").content.decode()
        )


def test_the_card_shows_identity_posts_and_job(world, login):
    world.secretary.job_title = "合同管理部主任"
    world.secretary.save()
    page = login("general").get(f"/vanguard/card/{world.secretary.pk}/").content.decode()
    assert world.secretary.name in page and "采购合同党支部" in page
    assert "Secretary" in page and "合同管理部主任" in page and "Full member" in page


@pytest.mark.parametrize(
    "persona,status",
    [
        ("anonymous", 302),
        ("unlinked", 404),
        ("member", 404),
        ("other_secretary", 404),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
    ],
)
def test_role_matrix_of_the_pledge_list(world, login, persona, status):
    response = login(persona).get(f"/vanguard/org/{world.branch.pk}/pledges/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "persona", ["anonymous", "unlinked", "member", "secretary", "general", "committee"]
)
def test_the_landing_page_opens_for_every_role(world, login, persona):
    response = login(persona).get("/vanguard/")
    assert response.status_code == (302 if persona == "anonymous" else 200)


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pledge_list_keeps_its_query_count(world, login):
    """No query per pledge for its member, branch or reviewer."""
    write(world)
    client = login("general")
    url = f"/vanguard/org/{world.general.pk}/pledges/"
    small = _count(client, url)
    for _ in range(10):
        person = make_member(world.other_branch)
        pledge = pledge_save(
            person=person, year=YEAR, text="承诺", submit=True, by=_user_for(person)
        )
        pledge_approve(pledge=pledge, by=world.other_secretary.user)
    assert (small, _count(client, url)) == (12, 12)


def _user_for(person: Person):
    from tests.factories import UserFactory

    person.user = UserFactory()
    person.save()
    return person.user


def test_a_bad_year_on_the_pledge_page_falls_back_to_this_year(world, login):
    response = login("member").post(
        "/vanguard/pledge/", {"year": "abc", "text": "承诺", "draft": "1"}
    )
    assert response.status_code == 302
