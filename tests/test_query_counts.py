"""Pages keep a constant number of SQL queries as the data grows.

Each page is measured on the small world, then again after the tree and the
register grow tenfold; the count must not move, and is pinned so a new N+1 (a
query per row for headcounts, posts, segments or groups) fails here first.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation, Segment
from meetings import summary as compliance_summary
from members.models import Person, Post
from members.services import post_assign
from tests.factories import PersonFactory, make_member, make_org

# page -> (persona, pinned query count)
PINNED = {
    # Every page pays 7: a savepoint pair (ATOMIC_REQUESTS), the session, the user,
    # the scope (the user's person and posts) and the notification bell's unread count.
    # The overview adds 9: organisations by kind, the level below, the figures of the
    # branches among it and the structure rules (neither when it has no branch), one
    # GROUP BY of the maintained headcounts, and the party-life roll-up panel's 4
    # (members.headcounts, meetings.summary).
    "home_committee": ("committee", 16),
    "home_general": ("general", 16),
    "home_member": ("member", 13),
    "org_list": ("committee", 13),
    # The organisation page's own 7 for a secretary's branch: the tree around it,
    # headcounts, posts, structure rules, roster, business nodes, pairings (the branch
    # itself comes with the scope). A general branch's has no roster but reads the
    # organisation and its subtree's party members (1 + 2): 9.
    "org_detail_branch": ("secretary", 19),
    "org_detail_general": ("general", 20),
    "person_list": ("secretary", 10),
    "person_detail": ("secretary", 10),
    "supply_chain": ("committee", 11),
}


def url_of(page: str, world) -> str:
    return {
        "home_committee": "/",
        "home_general": "/",
        "home_member": "/",
        "org_list": "/orgs/",
        "org_detail_branch": f"/orgs/{world.branch.pk}/",
        "org_detail_general": f"/orgs/{world.general.pk}/",
        "person_list": "/people/",
        "person_detail": f"/people/{world.member.pk}/",
        "supply_chain": "/orgs/supply-chain/",
    }[page]


def grow_tenfold(world) -> None:
    """Ten times the organisations, people and posts of the small world."""
    back = Segment.objects.get(code="back")
    for n in range(10):
        branch = make_org(f"新支部{n}", Organisation.Kind.BRANCH, world.general, segment=back)
        group = make_org(f"新支部{n}第一党小组", Organisation.Kind.GROUP, branch)
        for _ in range(4):
            make_member(branch, group=group)
        make_member(branch, status=Person.Status.MASSES)
        post_assign(person=make_member(branch), organisation=branch, role=Post.Role.SECRETARY,
                    on=datetime.date(2024, 1, 1))
    for _ in range(20):
        make_member(world.branch, group=world.group)
    for role in (Post.Role.ORGANISATION, Post.Role.PROPAGANDA, Post.Role.DISCIPLINE):
        post_assign(person=make_member(world.branch), organisation=world.branch, role=role,
                    on=datetime.date(2024, 1, 1))
        post_assign(person=PersonFactory(), organisation=world.general, role=role,
                    on=datetime.date(2024, 1, 1))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page_name", PINNED)
def test_it_keeps_the_query_count_constant_as_data_grows(page_name, login, world):
    persona, pinned = PINNED[page_name]
    client = login(persona)
    url = url_of(page_name, world)
    client.get(url)  # warm the session and content-type caches
    small = count_queries(client, url)
    grow_tenfold(world)
    # The new units' compliance summary rows, as the hourly run would write them
    # (a page computes missing rows itself, once).
    compliance_summary.refresh_all()
    large = count_queries(client, url)
    assert (small, large) == (pinned, pinned)
