"""Personas and scope in the admin: each sees, is offered and saves only its own rows."""


from django.urls import reverse

from branches.models import Organisation
from members.models import Person
from tests.admin_helpers import form_data, make_staff, url


def test_it_lets_the_committee_open_the_person_list(login, world):
    make_staff("committee")
    response = login("committee").get(url(Person, "changelist"))
    assert response.status_code == 200
    assert world.other_member.name in response.content.decode()


def test_it_shows_a_general_branch_only_its_subtree(login, world):
    make_staff("general")
    client = login("general")

    tree = client.get(url(Organisation, "changelist")).content.decode()
    assert world.general.name in tree
    assert world.committee.name not in tree
    assert world.functional.name not in tree

    flat = client.get(url(Organisation, "changelist"), {"is_active__exact": "1"}).content.decode()
    for inside in (world.general, world.branch, world.group, world.other_branch):
        assert inside.name in flat
    for outside in (world.committee, world.functional):
        assert outside.name not in flat

    people = client.get(url(Person, "changelist")).content.decode()
    assert world.member.name in people
    assert world.other_member.name in people
    assert world.committee_secretary.name not in people

    assert client.get(url(Organisation, "change", world.committee.pk)).status_code == 302
    assert client.get(url(Organisation, "history", world.committee.pk)).status_code in (
        302,
        403,
        404,
    )


def test_it_offers_a_general_branch_only_organisations_in_scope(login, world):
    make_staff("general")
    response = login("general").get(
        reverse("admin:autocomplete"),
        {
            "app_label": "branches",
            "model_name": "partnership",
            "field_name": "organisation",
            "term": "党",
        },
    )
    names = {result["text"] for result in response.json()["results"]}
    assert world.branch.name in names
    assert world.committee.name not in names
    assert world.functional.name not in names


def test_it_lets_a_general_branch_save_its_own_organisation(login, world):
    """Its parent (the committee) is out of scope, but an unchanged parent is kept."""
    make_staff("general")
    client = login("general")
    change = url(Organisation, "change", world.general.pk)
    data = form_data(client.get(change))
    data["unit"] = "采购部、物资供应部"
    assert client.post(change, data).status_code == 302
    world.general.refresh_from_db()
    assert world.general.unit == "采购部、物资供应部"
