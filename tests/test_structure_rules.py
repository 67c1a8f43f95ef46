"""The regulations' structure rules are checked and shown, with their source."""

import datetime

import pytest

from branches.models import StructureRule
from branches.rules import BranchFigures, Rules, check_branch
from members.models import Person, Post
from members.selectors import structure_warnings
from members.services import post_assign
from tests.factories import make_member

Code = StructureRule.Code


def figures(**overrides) -> BranchFigures:
    healthy = {"full_members": 12, "party_members": 14, "committee_size": 3, "has_secretary": True,
                   "group_count": 0}
    return BranchFigures(**{**healthy, **overrides})


@pytest.fixture
def rules(db) -> Rules:
    return Rules.load()


def codes(warnings) -> set[str]:
    return {w.code for w in warnings}


def test_it_finds_nothing_wrong_with_a_healthy_branch(rules):
    assert check_branch(figures(), rules) == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (
            {"full_members": 2, "party_members": 12, "committee_size": 1},
            Code.BRANCH_MIN_FULL_MEMBERS,
        ),
        ({"full_members": 8, "committee_size": 2}, Code.COMMITTEE_MIN_SIZE),
        ({"full_members": 15, "committee_size": 8}, Code.COMMITTEE_MAX_SIZE),
        ({"full_members": 5, "party_members": 12, "committee_size": 4}, Code.COMMITTEE_THRESHOLD),
        ({"party_members": 55, "full_members": 50}, Code.BRANCH_MAX_MEMBERS),
        ({"party_members": 9, "full_members": 8}, Code.COMPANY_MIN_MEMBERS),
        ({"party_members": 21, "full_members": 20}, Code.COMPANY_MAX_MEMBERS),
        ({"has_secretary": False}, "secretary_missing"),
    ],
)
def test_it_warns_when_a_rule_is_broken(overrides, code, rules):
    assert code in codes(check_branch(figures(**overrides), rules))


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (
            {"full_members": 3, "party_members": 10, "committee_size": 1},
            Code.BRANCH_MIN_FULL_MEMBERS,
        ),
        ({"full_members": 7, "committee_size": 3}, Code.COMMITTEE_MIN_SIZE),
        ({"full_members": 15, "committee_size": 7}, Code.COMMITTEE_MAX_SIZE),
        ({"party_members": 10, "full_members": 10}, Code.COMPANY_MIN_MEMBERS),
        ({"party_members": 20, "full_members": 20}, Code.COMPANY_MAX_MEMBERS),
        ({"party_members": 55, "full_members": 50, "group_count": 3}, Code.BRANCH_MAX_MEMBERS),
    ],
)
def test_it_is_quiet_at_the_boundary(overrides, code, rules):
    assert code not in codes(check_branch(figures(**overrides), rules))


def test_it_follows_the_values_the_committee_sets(db):
    StructureRule.objects.filter(code=Code.COMPANY_MAX_MEMBERS).update(value=15)
    assert Code.COMPANY_MAX_MEMBERS in codes(check_branch(figures(party_members=16), Rules.load()))
    StructureRule.objects.filter(code=Code.COMPANY_MAX_MEMBERS).update(is_enabled=False)
    assert Code.COMPANY_MAX_MEMBERS not in codes(
        check_branch(figures(party_members=16), Rules.load())
    )


def test_it_cites_the_regulation(rules):
    (warning,) = [w for w in check_branch(figures(full_members=2, party_members=12,
                                                  committee_size=1), rules)
                  if w.code == Code.BRANCH_MIN_FULL_MEMBERS]
    assert "支部工作条例" in warning.source


def test_it_counts_a_real_branch_from_the_register(world):
    """The figures come from the register: the conftest branch is small, so it is
    below the company's 10-person rule, and has no committee for its size."""
    found = codes(structure_warnings(world.branch))
    assert Code.COMPANY_MIN_MEMBERS in found
    assert Code.BRANCH_MIN_FULL_MEMBERS not in found  # 3 full members
    for _ in range(8):
        make_member(world.branch)
    assert Code.COMPANY_MIN_MEMBERS not in codes(structure_warnings(world.branch))
    # 12 full members now: a committee of at least 3 is needed, it has only a secretary.
    assert Code.COMMITTEE_MIN_SIZE in codes(structure_warnings(world.branch))
    for role in (Post.Role.ORGANISATION, Post.Role.PROPAGANDA):
        post_assign(person=make_member(world.branch), organisation=world.branch, role=role,
                    on=datetime.date(2024, 1, 1))
    assert Code.COMMITTEE_MIN_SIZE not in codes(structure_warnings(world.branch))


def test_it_shows_the_warnings_on_the_branch_page(login, world):
    body = login("secretary").get(f"/orgs/{world.branch.pk}/").content.decode()
    assert "支部人数控制在10至20人" in body  # the company rule's source, cited


def test_it_ignores_non_party_staff_in_the_member_count(world):
    before = structure_warnings(world.branch)
    for _ in range(10):
        make_member(world.branch, status=Person.Status.MASSES)
    assert codes(structure_warnings(world.branch)) == codes(before)


def test_it_does_not_check_committees_and_groups(world):
    assert structure_warnings(world.committee) == []
    assert structure_warnings(world.group) == []
