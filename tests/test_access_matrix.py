"""Every role against every page of the foundation: allowed (200), or refused.

Refusals: anonymous users are sent to the login page; a logged-in user without a
post gets 403 on the lists that only leaders have; an object outside the user's
scope is a 404, so its existence does not leak.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from branches.models import Organisation
from meetings.models import MeetingKind
from members.permissions import COMMITTEE_ADMIN_GROUP, ensure_committee_admin_group
from members.selectors import with_figures
from tests.admin_helpers import make_staff
from tests.conftest import PERSONAS
from tests.factories import UserFactory

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


# The committee office's clerk: staff in the committee admin group, with no post and not
# in the register. `members.view_whole_tree` (which the group holds) lets them read what
# the committee reads; it never lets them change anything.


@pytest.fixture
def clerk(world):
    user = UserFactory(username="clerk", is_staff=True)
    user.groups.add(ensure_committee_admin_group())
    return user


@pytest.mark.parametrize("page_name", PAGES)
def test_it_lets_the_committee_office_read_every_page_the_committee_reads(
    page_name, clerk, login, world
):
    response = login("clerk").get(url_of(page_name, world))
    assert response.status_code == expected(page_name, "committee")


def test_it_lists_the_whole_tree_and_register_for_the_committee_office(clerk, login, world):
    client = login("clerk")
    orgs = client.get("/orgs/").content.decode()
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        assert org.name in orgs
    people = client.get("/people/").content.decode()
    for person in (world.member, world.other_member, world.committee_secretary):
        assert person.name in people


def test_it_shows_a_staff_login_without_post_or_permission_nothing(world, login):
    UserFactory(username="clerk", is_staff=True)
    client = login("clerk")
    assert client.get("/orgs/").status_code == FORBIDDEN
    assert client.get(f"/people/{world.member.pk}/").status_code == NOT_FOUND


def test_it_counts_the_permission_for_staff_only(world, login):
    user = UserFactory(username="clerk")
    user.user_permissions.add(Permission.objects.get(codename="view_whole_tree"))
    assert login("clerk").get("/orgs/").status_code == FORBIDDEN


def test_it_never_lets_the_permission_write(clerk, login, world):
    client = login("clerk")
    form = f"/meetings/org/{world.branch.pk}/new/?kind={MeetingKind.GENERAL_MEETING}"
    assert client.get(form).status_code == OK
    assert client.post(form, {"kind": MeetingKind.GENERAL_MEETING}).status_code == NOT_FOUND
    # The admin shows every row read-only, and refuses a save.
    change = f"/admin/members/person/{world.member.pk}/change/"
    page = client.get(change)
    assert page.status_code == OK
    assert not page.context["has_change_permission"]
    assert client.post(change, {"name": "改名"}).status_code in (REDIRECT, FORBIDDEN)
    world.member.refresh_from_db()
    assert world.member.name == "张党员"


def test_it_lets_a_leader_with_the_permission_read_all_and_write_in_their_own_branch(
    world, login
):
    make_staff("secretary", whole_tree=True)
    client = login("secretary")
    assert client.get(f"/orgs/{world.other_branch.pk}/").status_code == OK
    kind = {"kind": MeetingKind.GENERAL_MEETING}
    assert client.post(f"/meetings/org/{world.other_branch.pk}/new/", kind).status_code == NOT_FOUND
    # Their own branch takes the form (refused only for what it lacks).
    assert client.post(f"/meetings/org/{world.branch.pk}/new/", kind).status_code == OK


def test_the_committee_admin_group_holds_the_permission(db):
    group = ensure_committee_admin_group()
    assert group.permissions.filter(
        content_type__app_label="members", codename="view_whole_tree"
    ).exists()


def test_the_migration_grants_it_to_a_group_that_exists_already(db):
    migration = importlib.import_module("members.migrations.0003_view_whole_tree")
    assert migration.GROUP == COMMITTEE_ADMIN_GROUP
    group = Group.objects.create(name=COMMITTEE_ADMIN_GROUP)
    migration.grant(django_apps, None)
    assert group.permissions.filter(codename="view_whole_tree").exists()
