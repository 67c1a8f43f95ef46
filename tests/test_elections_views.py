"""Terms and elections pages: who sees what (out of scope is 404), the steps through the
pages with bad input refused in the user's language, and pinned query counts."""

import datetime

import pytest
from django.utils import translation

from elections import services
from elections.models import Election, Term
from members.models import Person, Post
from tests.factories import make_member, make_org

D = datetime.date


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def setup(world):
    for org in (world.branch, world.other_branch, world.general, world.committee):
        org.refresh_from_db()
    for n in range(7):
        make_member(world.branch, name=f"党员{n}")
    world.branch.refresh_from_db()
    term = services.term_open(organisation=world.branch, started_on=D(2023, 12, 1))
    return world, term


PAGES = ["terms", "organisation", "panel"]


def url(page_name, world):
    return {
        "terms": f"/elections/terms/{world.branch.pk}/",
        "organisation": f"/elections/org/{world.branch.pk}/",
        "panel": f"/elections/org/{world.branch.pk}/panel/",
    }[page_name]


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("unlinked", 404),
        ("member", 404),
        ("other_secretary", 404),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
        ("superuser", 200),
    ],
)
def test_role_matrix(setup, login, page_name, persona, status):
    world, _term = setup
    response = login(persona).get(url(page_name, world))
    assert response.status_code == status
    if status == 302:
        assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["anonymous", "unlinked", "member", "secretary", "general", "committee"]
)
def test_the_landing_page_never_fails(setup, login, persona):
    response = login(persona).get("/elections/", follow=True)
    assert response.status_code == 200 if persona != "anonymous" else True


def test_the_terms_list_shows_the_badges(setup, login):
    world, _term = setup
    services.term_open(organisation=world.other_branch, started_on=D(2020, 1, 1))
    client = login("general")
    html = client.get(f"/elections/terms/{world.general.pk}/").content.decode()
    assert "采购合同党支部" in html and "2026-12-01" in html
    assert "Overdue" in html  # the other branch ended in 2023
    assert "No term recorded" in html  # the general branch has none
    only = client.get(f"/elections/terms/{world.general.pk}/?state=overdue").content.decode()
    assert "仓储配送党支部" in only and "采购合同党支部" not in only


def _election(world):
    election = services.election_create(
        organisation=world.branch,
        kind="regular",
        seats=3,
        planned_on=D(2026, 11, 20),
        is_contested=True,
        by=None,
    )
    for person in Person.objects.filter(branch=world.branch, status="full").order_by("pk")[:4]:
        services.candidate_add(election=election, person=person)
    return election


def test_the_branch_secretary_cannot_approve_the_candidates(setup, login):
    world, _term = setup
    election = _election(world)
    data = {"approved_on": "2026-11-01", "document": "组字8号"}
    assert login("secretary").post(f"/elections/{election.pk}/approve/", data).status_code == 404
    login("general").post(f"/elections/{election.pk}/approve/", data)
    election.refresh_from_db()
    assert election.status == Election.Status.APPROVED and election.approval_document == "组字8号"


def test_a_short_list_for_a_contested_election_is_refused_with_a_message(setup, login):
    world, _term = setup
    election = _election(world)
    election.candidates.first().delete()
    client = login("general")
    response = client.post(
        f"/elections/{election.pk}/approve/",
        {"approved_on": "2026-11-01", "document": "x"},
        follow=True,
    )
    assert "at least 20% more candidates than seats" in response.content.decode()
    election.refresh_from_db()
    assert election.status == Election.Status.PLANNED


def _vote_data(election, present, ballots, numbers, entitled=10):
    data = {
        "held_on": "2026-11-20",
        "entitled": entitled,
        "present": present,
        "valid_ballots": ballots,
    }
    for candidate, n in zip(election.candidates.order_by("person_id"), numbers, strict=True):
        data[f"votes_{candidate.pk}"] = n
    return data


def test_votes_above_those_present_are_refused_and_nothing_saved(setup, login, settings):
    world, _term = setup
    election = _election(world)
    services.candidates_approve(
        election=election, approved_on=D(2026, 11, 1), document="x", by=None
    )
    client = login("secretary")
    page = client.get(f"/elections/{election.pk}/vote/").content.decode()
    assert 'value="10"' in page  # entitled defaults to the 10 full members
    response = client.post(
        f"/elections/{election.pk}/vote/", _vote_data(election, 9, 9, (10, 5, 5, 3))
    )
    assert response.status_code == 200
    assert "10 votes, more than the 9 members present" in response.content.decode()
    election.refresh_from_db()
    assert election.status == Election.Status.APPROVED and election.present is None
    # The same refusal in Chinese for a Chinese user.
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        response = client.post(
            f"/elections/{election.pk}/vote/",
            _vote_data(election, 11, 9, (5, 5, 5, 3)),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        from django.utils.translation import gettext

        expected = gettext(
            "%(present)d members present is more than the %(entitled)d members entitled to vote."
        ) % {"present": 11, "entitled": 10}
    assert expected in response.content.decode()


def test_through_the_pages_to_an_effective_result(setup, login):
    world, _term = setup
    election = _election(world)
    services.candidates_approve(
        election=election, approved_on=D(2026, 11, 1), document="x", by=None
    )
    client = login("secretary")
    response = client.post(
        f"/elections/{election.pk}/vote/", _vote_data(election, 9, 9, (9, 8, 7, 3))
    )
    assert response.status_code == 302
    elected = list(election.candidates.filter(is_elected=True).order_by("-votes"))
    roles = ["secretary", "organisation", "propaganda"]
    data = {"effective_on": "2026-11-21"}
    data.update({f"role_{c.pk}": role for c, role in zip(elected, roles, strict=True)})
    assert client.post(f"/elections/{election.pk}/confirm/", data).status_code == 302
    election.refresh_from_db()
    assert election.status == Election.Status.EFFECTIVE
    assert Term.objects.open().get(organisation=world.branch).started_on == D(2026, 11, 21)
    assert (
        Post.objects.current(D(2026, 11, 21))
        .get(organisation=world.branch, role="secretary")
        .person_id
        == elected[0].person_id
    )


def test_the_organisation_page_loads_the_term_panel_by_htmx(setup, login):
    world, _term = setup
    html = login("secretary").get(f"/orgs/{world.branch.pk}/").content.decode()
    assert f'hx-get="/elections/org/{world.branch.pk}/panel/"' in html
    panel = login("secretary").get(f"/elections/org/{world.branch.pk}/panel/").content.decode()
    assert "2026-12-01" in panel


def grow_tenfold(world):
    for n in range(10):
        branch = make_org(f"新支部{n}", "branch", world.general)
        services.term_open(
            organisation=branch, started_on=D(2022, 1, 1) + datetime.timedelta(days=90 * n)
        )


@pytest.mark.parametrize(("path", "pinned"), [("terms", 11), ("overview", 8)])
def test_list_query_counts_do_not_grow(setup, login, django_assert_num_queries, path, pinned):
    """The terms list annotates each organisation's open term with subqueries and the
    overview panel loads the due terms with their organisations: no query per row."""
    world, _term = setup
    client = login("committee")
    target = (
        f"/elections/terms/{world.committee.pk}/"
        if path == "terms"
        else "/elections/overview-panel/"
    )
    with django_assert_num_queries(pinned):
        assert client.get(target).status_code == 200
    grow_tenfold(world)
    with django_assert_num_queries(pinned):
        assert client.get(target).status_code == 200


def test_recording_a_term_and_planning_an_election_through_the_pages(setup, login):
    world, _term = setup
    client = login("general")
    response = client.post(
        f"/elections/org/{world.general.pk}/term/", {"started_on": "2025-03-01"}, follow=True
    )
    assert "The term was recorded." in response.content.decode()
    again = client.post(
        f"/elections/org/{world.general.pk}/term/", {"started_on": "2025-04-01"}, follow=True
    )
    assert "already has an open term" in again.content.decode()
    assert Term.objects.filter(organisation=world.general).count() == 1
    response = client.post(
        f"/elections/org/{world.general.pk}/new/",
        {"kind": "regular", "seats": 5, "planned_on": "2028-02-20", "is_contested": "on"},
    )
    election = Election.objects.get(organisation=world.general)
    assert response.status_code == 302 and election.term.organisation == world.general
    # Candidates of a general branch are full members of the branches below it.
    client.post(f"/elections/{election.pk}/candidates/", {"person": world.other_member.pk})
    assert election.candidates.get().person == world.other_member
    client.post(
        f"/elections/{election.pk}/edit/",
        {"seats": 3, "planned_on": "2028-02-21", "is_contested": ""},
    )
    election.refresh_from_db()
    assert (election.seats, election.is_contested) == (3, False)
