"""Every role against every page of the foundation: allowed (200), or refused.

Refusals: anonymous users are sent to the login page; a logged-in user without a
post gets 403 on the lists that only leaders have; an object outside the user's
scope is a 404, so its existence does not leak.
"""

import pytest

from branches.models import Organisation
from members.selectors import with_figures
from tests.conftest import PERSONAS

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
LOGIN = "login"

# page -> persona -> expected status (personas not named get the row's default)
PAGES = {
    # a secretary's home is their branch page
    "home": ({"secretary": REDIRECT, "other_secretary": REDIRECT}, OK),
    "supply_chain": ({}, OK),
    "org_list": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN},
        OK,
    ),
    "org_branch": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "group_leader": NOT_FOUND,
         "other_secretary": NOT_FOUND},
        OK,
    ),
    "org_group": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "other_secretary": NOT_FOUND},
        OK,
    ),
    "org_other_branch": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "group_leader": NOT_FOUND,
         "secretary": NOT_FOUND},
        OK,
    ),
    "org_general": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "group_leader": NOT_FOUND,
         "secretary": NOT_FOUND, "other_secretary": NOT_FOUND},
        OK,
    ),
    "org_committee": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "group_leader": NOT_FOUND,
         "secretary": NOT_FOUND, "other_secretary": NOT_FOUND, "general": NOT_FOUND},
        OK,
    ),
    "org_functional": (
        {"member": FORBIDDEN, "unlinked": FORBIDDEN, "group_leader": NOT_FOUND,
         "secretary": NOT_FOUND, "other_secretary": NOT_FOUND, "general": NOT_FOUND},
        OK,
    ),
    "person_list": ({"member": FORBIDDEN, "unlinked": FORBIDDEN}, OK),
    "person_member": (
        {"unlinked": NOT_FOUND, "other_secretary": NOT_FOUND},
        OK,
    ),
    "person_other_member": (
        {"unlinked": NOT_FOUND, "member": NOT_FOUND, "group_leader": NOT_FOUND,
         "secretary": NOT_FOUND},
        OK,
    ),
    "person_masses": (
        {"unlinked": NOT_FOUND, "member": NOT_FOUND, "group_leader": NOT_FOUND,
         "other_secretary": NOT_FOUND},
        OK,
    ),
}


def url_of(page: str, world) -> str:
    return {
        "home": "/",
        "supply_chain": "/orgs/supply-chain/",
        "org_list": "/orgs/",
        "org_branch": f"/orgs/{world.branch.pk}/",
        "org_group": f"/orgs/{world.group.pk}/",
        "org_other_branch": f"/orgs/{world.other_branch.pk}/",
        "org_general": f"/orgs/{world.general.pk}/",
        "org_committee": f"/orgs/{world.committee.pk}/",
        "org_functional": f"/orgs/{world.functional.pk}/",
        "person_list": "/people/",
        "person_member": f"/people/{world.member.pk}/",
        "person_other_member": f"/people/{world.other_member.pk}/",
        "person_masses": f"/people/{world.masses.pk}/",
    }[page]


def expected(page: str, persona: str) -> int:
    if persona == "anonymous":
        return LOGIN
    overrides, default = PAGES[page]
    return overrides.get(persona, default)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page_name", PAGES)
def test_it_allows_or_refuses_each_page_by_role(page_name, persona, login, world):
    response = login(persona).get(url_of(page_name, world))
    want = expected(page_name, persona)
    if want == LOGIN:
        assert response.status_code == REDIRECT
        assert response.url.startswith("/login/")
    else:
        assert response.status_code == want, f"{persona} on {page_name}"


def test_it_lists_only_people_in_the_secretarys_branch(login, world):
    body = login("secretary").get("/people/").content.decode()
    assert world.member.name in body
    assert world.masses.name in body
    assert world.other_member.name not in body
    assert world.general_secretary.name not in body


def test_it_lists_the_whole_subtree_for_a_general_branch(login, world):
    body = login("general").get("/orgs/").content.decode()
    for org in (world.general, world.branch, world.other_branch, world.group):
        assert org.name in body
    assert world.functional.name not in body
    assert world.committee.name not in body


def test_it_lets_a_member_see_only_their_own_record(login, world):
    client = login("member")
    assert client.get(f"/people/{world.member.pk}/").status_code == OK
    assert client.get(f"/people/{world.masses.pk}/").status_code == NOT_FOUND


def test_it_masks_phone_numbers_in_lists(login, world):
    body = login("secretary").get("/people/").content.decode()
    assert world.member.phone not in body
    assert world.member.masked_phone in body


def test_it_shows_a_general_branch_its_own_secretary_who_belongs_to_no_branch_below(login, world):
    assert world.general_secretary.branch is None
    client = login("general")
    assert client.get(f"/people/{world.general_secretary.pk}/").status_code == OK
    assert world.general_secretary.name in client.get("/people/").content.decode()
    # ...but not the committee's secretary, who leads above it.
    assert client.get(f"/people/{world.committee_secretary.pk}/").status_code == NOT_FOUND


def test_it_counts_a_party_groups_members(world):
    group = with_figures(Organisation.objects.filter(pk=world.group.pk)).get()
    assert group.party_members == 2  # the member and the group leader
