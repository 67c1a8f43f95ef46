"""Memberships and posts go through the services from the admin, refusals included."""

import datetime

from django.urls import reverse
from django.utils import translation

from branches.models import Organisation
from members.models import Membership, Person, Post
from tests.admin_helpers import Kind, form_data, make_staff, url
from tests.factories import PersonFactory, make_org


def test_it_moves_a_person_through_the_membership_inline(superuser, world):
    change = url(Person, "change", world.member.pk)
    data = form_data(superuser.get(change))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(int(data["memberships-TOTAL_FORMS"]) + 1),
            "memberships-1-branch": str(world.other_branch.pk),
            "memberships-1-started_on": "2024-03-01",
        }
    )
    response = superuser.post(change, data)
    assert response.status_code == 302, response.context["errors"]

    world.member.refresh_from_db()
    assert world.member.branch == world.other_branch
    assert world.member.group is None
    (first,) = world.member.memberships.filter(branch=world.branch)
    assert first.ended_on == datetime.date(2024, 3, 1)


def test_it_starts_a_membership_through_the_service(superuser, world):
    newcomer = PersonFactory(name="新同志")
    add = url(Membership, "add")
    response = superuser.post(
        add,
        {
            "person": newcomer.pk,
            "branch": world.branch.pk,
            "group": world.group.pk,
            "started_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.branch, newcomer.group) == (world.branch, world.group)


def test_it_refuses_a_group_outside_the_branch(superuser, world):
    response = superuser.post(
        url(Membership, "add"),
        {
            "person": world.other_member.pk,
            "branch": world.other_branch.pk,
            "group": world.group.pk,
            "started_on": "2024-05-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["group"]
    world.other_member.refresh_from_db()
    assert world.other_member.branch == world.other_branch


def test_it_refuses_a_membership_the_service_refuses(superuser, world):
    """The form asks `membership_start` itself (in a rolled-back savepoint)."""
    response = superuser.post(
        url(Membership, "add"),
        {
            "person": world.other_member.pk,
            "branch": world.branch.pk,
            "started_on": "2019-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    world.other_member.refresh_from_db()
    assert world.other_member.branch == world.other_branch
    assert world.other_member.memberships.count() == 1


def test_it_ends_memberships_with_the_action(superuser, world):
    membership = world.other_member.memberships.get()
    response = superuser.post(
        url(Membership, "changelist"),
        {
            "action": "end_memberships",
            "_selected_action": [membership.pk],
        },
    )
    assert response.status_code == 302
    world.other_member.refresh_from_db()
    assert world.other_member.branch is None
    membership.refresh_from_db()
    assert membership.ended_on is not None


def test_it_refuses_to_revert_a_membership(superuser, world):
    membership = world.member.memberships.get()
    version = membership.history.latest()
    revert = reverse(
        "admin:members_membership_simple_history", args=(membership.pk, version.history_id)
    )
    assert superuser.get(revert).status_code == 200
    assert superuser.post(revert, {"started_on": "2019-01-01"}).status_code == 403


def test_it_lets_a_general_branch_add_a_person_into_its_branch(login, world):
    make_staff("general")
    client = login("general")
    add = url(Person, "add")
    data = form_data(client.get(add))
    assert data["memberships-TOTAL_FORMS"] == "1"  # a scoped user places the person at once
    data.update(
        {
            "name": "新调入党员",
            "status": Person.Status.FULL,
            "memberships-0-branch": str(world.other_branch.pk),
            "memberships-0-started_on": "2024-06-01",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["errors"]
    newcomer = Person.objects.get(name="新调入党员")
    assert newcomer.branch == world.other_branch
    assert newcomer.name in client.get(url(Person, "changelist")).content.decode()


def test_it_keeps_branch_and_group_read_only_on_a_person(superuser, world):
    change = url(Person, "change", world.member.pk)
    form = superuser.get(change).context["adminform"].form
    assert "branch" not in form.fields
    assert "group" not in form.fields


def test_it_keeps_the_branch_when_a_person_is_reverted(superuser, world):
    """Reverting to a version from before the membership must not move the person."""
    oldest = world.member.history.earliest()
    assert oldest.branch_id is None
    revert = reverse(
        "admin:members_person_simple_history", args=(world.member.pk, oldest.history_id)
    )
    data = form_data(superuser.get(revert))
    data["note"] = "恢复旧版本"
    assert superuser.post(revert, data).status_code == 302

    world.member.refresh_from_db()
    assert world.member.note == "恢复旧版本"
    assert (world.member.branch, world.member.group) == (world.branch, world.group)


def test_it_refuses_a_second_secretary_in_the_post_inline(superuser, world):
    change = url(Organisation, "change", world.branch.pk)
    data = form_data(superuser.get(change))
    total = int(data["posts-TOTAL_FORMS"])
    data.update(
        {
            "posts-TOTAL_FORMS": str(total + 1),
            f"posts-{total}-person": str(world.member.pk),
            f"posts-{total}-role": Post.Role.SECRETARY,
            f"posts-{total}-started_on": "2024-01-01",
        }
    )
    response = superuser.post(change, data)
    assert response.status_code == 200
    with translation.override("zh-hans"):  # the admin speaks the portal's default language
        expected = translation.gettext("This organisation already has a secretary.")
    assert expected in str(response.context["errors"])
    assert Post.objects.filter(organisation=world.branch, role=Post.Role.SECRETARY).count() == 1


def test_it_rolls_back_a_save_that_a_service_refuses(superuser, world):
    """Two new secretaries in one submission pass every form check; the second
    `post_assign` refuses, and the whole save is undone with the reason shown."""
    general = make_org("新建党总支", Kind.GENERAL_BRANCH, world.committee)
    first, second = PersonFactory(name="甲"), PersonFactory(name="乙")
    change = url(Organisation, "change", general.pk)
    data = form_data(superuser.get(change))
    data.update({"unit": "不应保存", "posts-TOTAL_FORMS": "2"})
    for n, person in enumerate((first, second)):
        data.update(
            {
                f"posts-{n}-person": str(person.pk),
                f"posts-{n}-role": Post.Role.SECRETARY,
                f"posts-{n}-started_on": "2024-01-01",
                f"posts-{n}-is_part_time": "on",
            }
        )
    response = superuser.post(change, data, follow=True)

    assert response.redirect_chain[0] == (change, 302)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Post.objects.filter(organisation=general).exists()
    general.refresh_from_db()
    assert general.unit == ""
