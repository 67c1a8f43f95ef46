"""The overview pages keep a constant number of SQL queries as the tree grows.

Each page is measured on the small world and again after the general branch gains
ten branches with their groups, members, meetings, attendance, visits, problems and
compliance rows; the count is pinned, so a query per child, per segment, per member
or per month fails here first.
"""

import pytest
import time_machine
from django.urls import reverse

from tests.overview_data import NOW, fill, grow

# page -> (persona, pinned queries). Every page pays 7 (a savepoint pair, the session,
# the user, the scope's person and posts, the notification bell).
PINNED = {
    # + the organisation, the subtree's year by month, the year's last refresh
    # ("figures as of"), the children, the period by child (figures and compliance),
    # the period by segment (none for a branch: it is all one segment), the segments,
    # the red flags; below the root, the organisations above (the way back up).
    "committee dashboard": ("committee", 15),
    "general dashboard": ("general", 16),
    # + the branch's members and their attendance, visits and credits.
    "branch dashboard": ("secretary", 19),
    # + the organisation, the branches, their figures, their compliance, the segments.
    "committee segments": ("committee", 12),
    # + the person, the organisations above her branch, attendance, visits and credits
    # by month, the meetings of the period.
    "member page": ("secretary", 13),
}


def url_of(page: str, world) -> str:
    return {
        "committee dashboard": reverse("overview:dashboard", args=[world.committee.pk]),
        "general dashboard": reverse("overview:dashboard", args=[world.general.pk]),
        "branch dashboard": reverse("overview:dashboard", args=[world.branch.pk]),
        "committee segments": reverse("overview:segments", args=[world.committee.pk]),
        "member page": reverse("overview:person", args=[world.member.pk]),
    }[page] + "?period=2026-Q2"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("page", sorted(PINNED))
def test_the_page_takes_the_same_queries_at_tenfold_size(
    page, world, login, django_assert_num_queries
):
    """Prevents a query per organisation below, per segment, per member or per month
    (the children, segments and members are each one GROUP BY)."""
    fill(world)
    persona, pinned = PINNED[page]
    client = login(persona)
    url = url_of(page, world)
    assert client.get(url).status_code == 200  # warm the caches (content types, ...)
    with django_assert_num_queries(pinned):
        small = client.get(url)
    grow(world, 10)
    with django_assert_num_queries(pinned):
        large = client.get(url)
    assert large.status_code == 200
    if page.endswith("dashboard") and page != "branch dashboard":
        # The growth shows on the page: the new branches' theme days and group meetings.
        assert large.context["total"].meetings_held == small.context["total"].meetings_held + 20
