"""The dues pages keep a constant number of SQL queries as the data grows.

Each page is measured with the branch's members, declarations and months of payments
at one and at ten times the data; the count is pinned, so a query per member (for a
declaration, the schedule, a payment sum or the month's entries) fails here first.
"""

import datetime

import pytest
import time_machine

from members.models import Person
from tests.factories import make_member
from tests.test_dues_helpers import declare, pay

# Every page pays 7 (savepoints, session, user, scope, the notification bell).
PINNED = {
    # + organisation, people, declarations, 3 for the rules, payment sums, month entries
    "ledger": 15,
    # + organisation, its parent (the way up), children, people, declarations, 3 rules,
    # payment sums
    "totals": 16,
    # the ledger's queries without the month's entries
    "arrears": 14,
    # the ledger's queries
    "export": 15,
    "member": 14,
    "org_panel": 14,
}
INCOMES = ("2800.00", "4500.00", "7200.00", "15000.00")


@pytest.fixture(autouse=True)
def frozen(world):
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield


def grow(world, times: int) -> None:
    """`times` x (4 members with declarations, a re-declaration and 3 months paid)."""
    for n in range(4 * times):
        person = make_member(
            world.branch,
            group=world.group,
            status=Person.Status.FULL if n % 3 else Person.Status.PROBATIONARY,
            joined_party_on=datetime.date(2025, 1 + n % 12, 1),
        )
        declare(person, INCOMES[n % 4])
        declare(person, INCOMES[(n + 1) % 4], from_month=3)
        for month in (1, 2, 4):
            pay(person, datetime.date(2026, month, 1), "12.34")


def url_of(page: str, world) -> str:
    return {
        "ledger": f"/dues/orgs/{world.branch.pk}/ledger/?month=2026-04",
        "totals": f"/dues/orgs/{world.general.pk}/totals/",
        "arrears": f"/dues/orgs/{world.branch.pk}/arrears/",
        "export": f"/dues/orgs/{world.branch.pk}/ledger/export/",
        "member": f"/dues/people/{world.member.pk}/",
        "org_panel": f"/dues/panel/org/{world.branch.pk}/",
    }[page]


@pytest.mark.parametrize("times", [1, 10])
@pytest.mark.parametrize("target", list(PINNED))
def test_dues_pages_keep_their_query_count(world, login, django_assert_num_queries, target, times):
    declare(world.member, "6000.00")
    grow(world, times)
    client = login("secretary" if target != "totals" else "general")
    with django_assert_num_queries(PINNED[target]):
        response = client.get(url_of(target, world))
    assert response.status_code == 200
