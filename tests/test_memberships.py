"""Memberships and posts go through one write path that keeps history whole."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Membership, Person, Post
from members.services import membership_end, membership_start, post_assign, post_end
from tests.factories import PersonFactory, make_member, make_org

D = datetime.date


def test_it_closes_the_old_membership_when_a_member_moves(world):
    person = world.member
    membership_start(person=person, branch=world.other_branch, on=D(2024, 6, 1))
    history = list(Membership.objects.filter(person=person).order_by("started_on"))
    assert [(m.branch, m.ended_on) for m in history] == [
        (world.branch, D(2024, 6, 1)),
        (world.other_branch, None),
    ]
    person.refresh_from_db()
    assert (person.branch, person.group) == (world.other_branch, None)


def test_it_corrects_a_membership_on_its_first_day_without_a_zero_length_row(world):
    person = make_member(world.branch)
    membership_start(person=person, branch=world.branch, group=world.group,
                     on=Membership.objects.get(person=person).started_on)
    assert Membership.objects.filter(person=person).count() == 1
    person.refresh_from_db()
    assert person.group == world.group


def test_it_refuses_a_group_of_another_branch(world):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        membership_start(person=person, branch=world.other_branch, group=world.group,
                         on=D(2024, 1, 1))
    assert not Membership.objects.filter(person=person).exists()


def test_it_checks_the_group_against_the_database_not_a_stale_copy(world):
    """Adding a sibling renumbers paths of a tree sorted by name; the caller's copy of
    the branch is then stale, and the check must still be right."""
    stale_branch = world.branch
    make_org("一号支部", "branch", world.general)  # sorts first: moves 采购合同党支部's path
    person = PersonFactory()
    membership_start(person=person, branch=stale_branch, group=world.group, on=D(2024, 1, 1))
    assert Membership.objects.get(person=person).group == world.group


def test_it_refuses_a_move_dated_before_the_current_membership(world):
    with pytest.raises(ValidationError):
        membership_start(person=world.member, branch=world.other_branch, on=D(2019, 1, 1))


def test_it_ends_a_membership(world):
    membership_end(person=world.member, on=D(2024, 1, 1))
    world.member.refresh_from_db()
    assert world.member.branch is None
    assert not Membership.objects.filter(person=world.member, ended_on__isnull=True).exists()


def test_it_refuses_a_second_secretary(world):
    with pytest.raises(ValidationError):
        post_assign(person=make_member(world.branch), organisation=world.branch,
                    role=Post.Role.SECRETARY, on=D(2024, 1, 1))


@pytest.mark.parametrize("status", [Person.Status.MASSES, Person.Status.ACTIVIST])
def test_it_refuses_a_post_to_someone_who_is_not_a_party_member(status, world):
    with pytest.raises(ValidationError):
        post_assign(person=make_member(world.branch, status=status), organisation=world.branch,
                    role=Post.Role.PROPAGANDA, on=D(2024, 1, 1))


def test_it_refuses_a_branch_post_to_someone_from_another_branch(world):
    with pytest.raises(ValidationError):
        post_assign(person=world.other_member, organisation=world.branch,
                    role=Post.Role.PROPAGANDA, on=D(2024, 1, 1))


def test_it_refuses_a_group_leader_outside_the_group(world):
    post_end(post=Post.objects.get(role=Post.Role.GROUP_LEADER), on=D(2024, 1, 1))
    outsider = make_member(world.branch)  # in the branch, not in the group
    with pytest.raises(ValidationError):
        post_assign(person=outsider, organisation=world.group, role=Post.Role.GROUP_LEADER,
                    on=D(2024, 2, 1))


def test_it_marks_a_part_time_secretary_with_a_business_post_as_two_duties(world):
    post = Post.objects.get(organisation=world.branch, role=Post.Role.SECRETARY)
    assert not post.carries_two_duties
    post.business_post = "合同管理部主任"
    assert post.carries_two_duties
    post.is_part_time = False
    assert not post.carries_two_duties
