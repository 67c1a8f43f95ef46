"""Credit rankings: monthly and yearly, ties share a rank, branch averages, and a
constant number of queries whatever the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Person
from study.models import CreditEntry, CreditRule
from study.selectors import branch_averages, month_of, position_of, ranked_people, year_of
from study.services import material_mark_read
from tests.factories import make_member
from tests.test_study_helpers import make_material

MAY = datetime.date(2026, 5, 15)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_paths(world):
    """Adding organisations in name order moves siblings' paths: reload them."""
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def give(person, points: str, on: datetime.date, title: str):
    """A credit of `points` for `person` on `on` (through a material of its own)."""
    material = make_material(person.branch, title=title, assign_to=False)
    rule = CreditRule.objects.get(event="read")
    return CreditEntry.objects.create(
        person=person, rule=rule, material=material, points=Decimal(points), earned_on=on
    )


def test_ties_share_a_rank_and_the_next_rank_is_skipped(world):
    give(world.member, "4", MAY, "a")
    give(world.secretary, "4", MAY, "b")
    give(world.group_leader, "1", MAY, "c")
    ranked = [(p.name, p.rank, p.points) for p in ranked_people(world.branch, month_of(MAY))]
    assert ranked[0][1] == ranked[1][1] == 1
    assert {ranked[0][0], ranked[1][0]} == {world.member.name, world.secretary.name}
    assert ranked[2] == (world.group_leader.name, 3, Decimal("1.0"))
    assert position_of(world.member, world.branch, month_of(MAY)) == (1, Decimal("4.0"))
    assert position_of(world.group_leader, world.branch, month_of(MAY))[0] == 3


def test_the_month_and_the_year_count_their_own_credits(world):
    give(world.member, "2", MAY, "a")
    give(world.member, "3", datetime.date(2026, 4, 30), "b")
    give(world.member, "5", datetime.date(2025, 12, 31), "c")
    by_month = {p.pk: p.points for p in ranked_people(world.branch, month_of(MAY))}
    by_year = {p.pk: p.points for p in ranked_people(world.branch, year_of(MAY))}
    assert by_month[world.member.pk] == Decimal("2.0")
    assert by_year[world.member.pk] == Decimal("5.0")


def test_non_party_staff_and_other_branches_are_not_ranked(world):
    names = {p.name for p in ranked_people(world.branch, month_of(MAY))}
    assert world.member.name in names
    assert world.masses.name not in names and world.other_member.name not in names


def test_the_general_branch_sees_each_branchs_average(world):
    give(world.member, "4", MAY, "a")
    give(world.other_member, "3", MAY, "b")
    rows = {
        b.name: (b.member_count, b.points) for b in branch_averages(world.general, month_of(MAY))
    }
    assert rows[world.branch.name] == (3, Decimal("4.0"))
    assert rows[world.other_branch.name] == (2, Decimal("3.0"))
    assert world.functional.name not in rows  # outside the general branch


def test_the_committee_page_shows_top_members_and_branch_averages(world, login):
    give(world.member, "4", MAY, "a")
    html = (
        login("committee")
        .get(f"/study/ranking/?org={world.committee.pk}&period=month&at=2026-05")
        .content.decode()
    )
    assert "Top members" in html and world.member.name in html
    assert world.functional.name in html
    assert "1.3" in html  # 4 credits over 3 members in the member's branch


def test_the_ranking_page_reads_the_period_from_the_query(world, login):
    give(world.member, "4", MAY, "a")
    client = login("member")
    html = client.get("/study/ranking/?period=month&at=2026-05").content.decode()
    assert "My position: 1, with 4.0 credits" in html
    html = client.get("/study/ranking/?period=month&at=2026-06").content.decode()
    assert "with 0 credits" in html
    html = client.get("/study/ranking/?period=year&at=2026").content.decode()
    assert "with 4.0 credits" in html
    assert client.get("/study/ranking/?period=month&at=garbage").status_code == 200


# --- Query counts ---------------------------------------------------------------------

# page -> (persona, pinned query count). Every page pays 7 (savepoints, session, user,
# scope, bell; a panel has no bell, 6); what is left is the page's own and must not
# grow with the data.
PINNED = {
    "ranking_branch": ("member", 12),
    "ranking_committee": ("committee", 11),
    "index": ("member", 12),
    "unread": ("member", 9),
    "credits": ("member", 11),
    "manage": ("secretary", 9),
    "completion": ("secretary", 12),
    "person_panel": ("member", 9),
    "organisation_panel": ("secretary", 8),
    "overview_panel": ("committee", 7),
}


def url_of(name: str, world, material) -> str:
    return {
        "ranking_branch": f"/study/ranking/?org={world.branch.pk}",
        "ranking_committee": f"/study/ranking/?org={world.committee.pk}",
        "index": "/study/",
        "unread": "/study/unread/",
        "credits": "/study/credits/",
        "manage": "/study/manage/",
        "completion": f"/study/orgs/{world.branch.pk}/completion/",
        "person_panel": f"/study/panels/person/{world.member.pk}/",
        "organisation_panel": f"/study/panels/organisation/{world.branch.pk}/",
        "overview_panel": "/study/panels/overview/",
    }[name]


def grow(world, times: int) -> None:
    """`times` more materials and members, each member reading each material."""
    today = timezone.localdate()
    people = [make_member(world.branch, group=world.group) for _ in range(times)]
    people += [make_member(world.other_branch) for _ in range(times)]
    people.append(world.member)
    CreditRule.objects.update(monthly_cap=None)
    for n in range(times):
        material = make_material(
            world.committee if n % 2 else world.branch,
            title=f"资料{n}",
            published_on=today.replace(day=1),
            due_on=today,
        )
        for person in [*people[::2], world.member]:
            material_mark_read(person=person, material=material)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page_name", PINNED)
def test_study_pages_keep_their_query_count_at_one_and_ten_times_the_data(world, login, page_name):
    """Prevents a query per member (their credits or rank), per material (due date, read,
    quiz) or per branch (averages, completion)."""
    persona, pinned = PINNED[page_name]
    grow(world, 1)
    client = login(persona)
    url = url_of(page_name, world, None)
    client.get(url)  # warm the session and content-type caches
    small = count(client, url)
    grow(world, 9)
    assert Person.objects.count() > 25
    large = count(client, url)
    assert (small, large) == (pinned, pinned)
