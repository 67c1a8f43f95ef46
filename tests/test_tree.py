"""The organisation tree keeps its shape: levels, no cycles, no orphans, cheap queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation
from tests.factories import make_org

Kind = Organisation.Kind


def assert_tree_sound():
    """treebeard's own integrity check: bad paths, orphans, wrong depth or child counts."""
    problems = Organisation.objects.find_problems()
    assert all(not found for found in problems), problems


def test_it_keeps_the_tree_sound_after_building_it(world):
    assert_tree_sound()
    assert list(Organisation.objects.get_root_nodes()) == [world.committee]


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (Kind.GROUP, "committee"),
        (Kind.GROUP, "general"),
        (Kind.BRANCH, "branch"),
        (Kind.BRANCH, None),
        (Kind.GENERAL_BRANCH, "branch"),
        (Kind.GENERAL_BRANCH, None),
        (Kind.COMMITTEE, "branch"),
    ],
)
def test_it_refuses_an_organisation_at_the_wrong_level(kind, parent_attr, world):
    parent = getattr(world, parent_attr) if parent_attr else None
    before = Organisation.objects.count()
    with pytest.raises(ValidationError):
        make_org("新组织", kind, parent)
    assert Organisation.objects.count() == before


def test_it_allows_a_national_deployment_with_committees_above_the_company(world):
    province = make_org("省公司党委", Kind.COMMITTEE)
    Organisation.objects.move(world.committee, province, "sorted-child")
    world.committee.refresh_from_db()
    assert world.committee.depth == 2
    assert_tree_sound()


def test_it_cannot_move_a_node_below_itself(world):
    """A move that would make a cycle is refused by the tree (no cycles possible)."""
    from treebeard.exceptions import InvalidMoveToDescendant

    with pytest.raises(InvalidMoveToDescendant):
        Organisation.objects.move(world.general, world.branch, "sorted-child")
    assert_tree_sound()


def test_it_finds_ancestors_and_descendants_in_one_query_at_any_depth(world):
    """Materialised paths: no query per level, however deep the tree."""
    chain = [world.committee]
    node = chain[0]
    for level in range(12):
        node = make_org(f"党委{level}", Kind.COMMITTEE, node)
    deep_branch = make_org("深层支部", Kind.BRANCH, node)
    with CaptureQueriesContext(connection) as ancestors_q:
        ancestors = list(Organisation.objects.get_ancestors(deep_branch))
    with CaptureQueriesContext(connection) as subtree_q:
        subtree = list(Organisation.objects.within([world.committee.path]))
    assert len(ancestors) == 13
    assert len(ancestors_q) == 1
    assert len(subtree_q) == 1
    assert deep_branch in subtree and world.branch in subtree


def test_it_refuses_two_organisations_of_the_same_name_under_one_parent(world):
    with pytest.raises(ValidationError):
        make_org(world.branch.name, Kind.BRANCH, world.general)
