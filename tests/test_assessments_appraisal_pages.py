"""Democratic appraisal pages: a member's self-assessment and votes (one per colleague,
a new vote replacing the old), only in their own branch; the secretary's page with the
tallies and the one-third warning; the tally over a subtree; pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments import services
from assessments.models import Appraisal, AppraisalEntry, AppraisalGrade, AppraisalVote
from tests.assessments_helpers import YEAR, make_scheme
from tests.factories import make_member


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def appraisal(world):
    scheme = make_scheme()
    services.appraisal_open(scheme=scheme, branch=world.other_branch)
    return services.appraisal_open(scheme=scheme, branch=world.branch)


def entry_of(appraisal, person) -> AppraisalEntry:
    return appraisal.entries.get(person=person)


def vote(client, entry, grade):
    return client.post(reverse("assessments:my_appraisal_vote", args=[YEAR]),
                       {"entry": entry.pk, "grade": grade}, follow=True)


def page_of_branch(world, year=YEAR):
    return reverse("assessments:branch_appraisal", args=[world.branch.pk, year])


def test_a_member_writes_the_self_assessment_and_votes_once_per_colleague(login, world,
                                                                           appraisal):
    client = login("member")
    page = client.get(reverse("assessments:my_appraisal", args=[YEAR]))
    assert page.status_code == 200
    names = [c.person.name for c in page.context["colleagues"]]
    assert world.secretary.name in names and world.member.name not in names

    client.post(reverse("assessments:my_appraisal", args=[YEAR]),
                {"self_assessment": "  认真学习，按时交纳党费。 "})
    assert entry_of(appraisal, world.member).self_assessment == "认真学习，按时交纳党费。"

    secretary = entry_of(appraisal, world.secretary)
    vote(client, secretary, AppraisalGrade.EXCELLENT)
    vote(client, secretary, AppraisalGrade.EXCELLENT)
    secretary.refresh_from_db()
    assert (secretary.votes_excellent, secretary.votes_qualified) == (1, 0)
    # A second vote replaces the first: the tallies move with it.
    vote(client, secretary, AppraisalGrade.QUALIFIED)
    secretary.refresh_from_db()
    assert (secretary.votes_excellent, secretary.votes_qualified) == (0, 1)
    assert AppraisalVote.objects.filter(voter=world.member).count() == 1

    response = vote(client, entry_of(appraisal, world.member), AppraisalGrade.EXCELLENT)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not AppraisalVote.objects.filter(entry__person=world.member).exists()


def test_a_member_cannot_reach_another_branchs_appraisal(login, world, appraisal):
    client = login("other_member")
    assert vote(client, entry_of(appraisal, world.secretary),
                AppraisalGrade.UNQUALIFIED).status_code == 404
    assert client.get(page_of_branch(world)).status_code == 404
    assert login("member").get(page_of_branch(world)).status_code == 404
    assert login("other_secretary").get(page_of_branch(world)).status_code == 404
    assert not AppraisalVote.objects.exists()


def test_votes_are_refused_once_the_branch_meeting_has_decided(login, world, appraisal):
    appraisal.entries.update(proposed_grade=AppraisalGrade.QUALIFIED)
    services.appraisal_decide(appraisal=appraisal, decided_on=services.year_bounds(YEAR)[1])
    client = login("member")
    response = vote(client, entry_of(appraisal, world.secretary), AppraisalGrade.EXCELLENT)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Vote" not in client.get(reverse("assessments:my_appraisal",
                                            args=[YEAR])).content.decode()
    assert not AppraisalVote.objects.exists()


def test_the_secretary_sees_the_tallies_and_the_one_third_warning(login, world, appraisal):
    entry = entry_of(appraisal, world.group_leader)
    vote(login("member"), entry, AppraisalGrade.EXCELLENT)
    vote(login("secretary"), entry, AppraisalGrade.QUALIFIED)
    client = login("secretary")
    page = client.get(page_of_branch(world))
    assert page.status_code == 200
    row = {e.person_id: e for e in page.context["entries"]}[world.group_leader.pk]
    assert (row.votes_excellent, row.votes_qualified, row.vote_count) == (1, 1, 2)
    assert not page.context["warnings"]

    # 3 members: at most 1 excellent. The secretary proposes 2.
    data = {f"proposed-{e.pk}": AppraisalGrade.QUALIFIED for e in appraisal.entries.all()}
    data[f"proposed-{entry_of(appraisal, world.member).pk}"] = AppraisalGrade.EXCELLENT
    data[f"proposed-{entry.pk}"] = AppraisalGrade.EXCELLENT
    client.post(reverse("assessments:branch_appraisal_grades",
                        args=[world.branch.pk, YEAR]), data)
    page = client.get(page_of_branch(world))
    tally = page.context["tally"]
    assert (tally.members, tally.excellent, tally.excellent_limit) == (3, 2, 1)
    [warning] = page.context["warnings"]
    assert escape(warning) in page.content.decode() and "alert-warning" in page.content.decode()

    client.post(reverse("assessments:branch_appraisal_decide", args=[world.branch.pk, YEAR]),
                {"decided_on": f"{YEAR}-12-20"})
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.DECIDED
    assert entry_of(appraisal, world.member).decided_grade == AppraisalGrade.EXCELLENT


def test_the_secretary_opens_the_appraisal(login, world):
    make_scheme()
    client = login("secretary")
    assert client.get(page_of_branch(world)).context["appraisal"] is None
    client.post(reverse("assessments:branch_appraisal_open", args=[world.branch.pk, YEAR]))
    assert Appraisal.objects.get(branch=world.branch).entries.count() == 3


def test_the_general_branch_sees_grades_per_branch_in_its_subtree(login, world, appraisal):
    appraisal.entries.update(proposed_grade=AppraisalGrade.EXCELLENT)
    page = login("general").get(reverse("assessments:appraisal_tally", args=[YEAR]))
    rows = {row["appraisal"].branch_id: row for row in page.context["rows"]}
    assert set(rows) == {world.branch.pk, world.other_branch.pk}
    assert rows[world.branch.pk]["counts"][0] == 3 and rows[world.branch.pk]["too_many_excellent"]
    other = login("other_secretary").get(reverse("assessments:appraisal_tally", args=[YEAR]))
    assert [r["appraisal"].branch_id for r in other.context["rows"]] == [world.other_branch.pk]
    assert login("member").get(reverse("assessments:appraisal_tally",
                                       args=[YEAR])).status_code == 404


def test_the_pages_are_linked_from_the_branch_panel_and_the_member_page(login, world,
                                                                        appraisal):
    panel = login("secretary").get(reverse("assessments:branch_panel", args=[world.branch.pk]))
    assert page_of_branch(world) in panel.content.decode()
    stars = login("member").get(reverse("assessments:member_stars", args=[world.member.pk]))
    assert reverse("assessments:my_appraisal_current") in stars.content.decode()


def _secretary_page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_of_branch(world)).status_code == 200
    return len(queries)


def test_the_secretary_page_makes_the_same_queries_at_ten_times_the_members(login, world):
    scheme = make_scheme()
    for n in range(2):
        make_member(world.branch, name=f"评议党员{n}")
    appraisal = services.appraisal_open(scheme=scheme, branch=world.branch)
    client = login("secretary")
    for entry in appraisal.entries.all():
        vote(login("member"), entry, AppraisalGrade.QUALIFIED)
    one = _secretary_page_queries(client, world)
    for n in range(2, 47):  # 5 members, then 50
        make_member(world.branch, name=f"评议党员{n}")
    appraisal = services.appraisal_open(scheme=scheme, branch=world.branch)
    assert appraisal.entries.count() == 50
    appraisal.entries.update(proposed_grade=AppraisalGrade.QUALIFIED, self_assessment="自评")
    assert _secretary_page_queries(client, world) == one
