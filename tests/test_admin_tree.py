"""The tree keeps its levels in the admin: party groups only where they belong."""



from branches.models import Organisation
from tests.admin_helpers import Kind, form_data, url
from tests.factories import make_org


def test_it_refuses_a_party_group_under_a_committee(superuser, world):
    add = url(Organisation, "add")
    data = form_data(superuser.get(add))
    data.update(
        name="越级党小组",
        kind=Kind.GROUP,
        treebeard_ref_node=str(world.committee.pk),
        treebeard_position="sorted-child",
    )
    response = superuser.post(add, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["treebeard_ref_node"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not Organisation.objects.filter(name="越级党小组").exists()


def test_it_adds_a_party_group_in_a_branch(superuser, world):
    add = url(Organisation, "add")
    data = form_data(superuser.get(add))
    data.update(
        name="第二党小组",
        kind=Kind.GROUP,
        treebeard_ref_node=str(world.branch.pk),
        treebeard_position="sorted-child",
    )
    assert superuser.post(add, data).status_code == 302
    group = Organisation.objects.get(name="第二党小组")
    assert Organisation.objects.get_parent(group) == world.branch
    assert not Organisation.objects.find_problems()[0]


def test_it_refuses_to_drag_a_party_group_under_a_committee(superuser, world):
    response = superuser.post(
        url(Organisation, "changelist") + "move/",
        {"node": world.group.pk, "target": world.committee.pk, "relation": "child"},
    )
    assert response.status_code == 400
    world.group.refresh_from_db()
    assert Organisation.objects.get_parent(world.group) == world.branch


def test_it_deletes_an_empty_party_group(superuser, world):
    empty = make_org("空党小组", Kind.GROUP, world.other_branch)
    delete = url(Organisation, "delete", empty.pk)
    assert superuser.get(delete).status_code == 200
    assert superuser.post(delete, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=empty.pk).exists()
    assert not any(Organisation.objects.find_problems())
