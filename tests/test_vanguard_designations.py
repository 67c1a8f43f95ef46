"""Model posts (党员示范岗) and safety responsibility zones (党员安全责任区): who may name
them, the responsible members' and the dates' checks, search, the Excel ledger, the
panels and pinned query counts."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.factories import make_member
from vanguard.models import Designation
from vanguard.services import (
    DesignationData,
    designation_create,
    designation_revoke,
    designation_update,
)

START = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def english(world, settings):
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def name(world, *, org=None, responsible=None, by=None, **fields):
    data = DesignationData(
        kind=fields.pop("kind", Designation.Kind.MODEL_POST),
        name=fields.pop("name", "合同履约党员示范岗"),
        starts_on=fields.pop("starts_on", START),
        **fields,
    )
    return designation_create(
        organisation=org or world.branch,
        data=data,
        responsible=responsible if responsible is not None else [world.member],
        by=by or world.secretary.user,
    )


def test_the_secretary_names_a_model_post_through_the_page(world, login):
    secretary = login("secretary")
    response = secretary.post(
        f"/vanguard/org/{world.branch.pk}/designations/new/",
        {
            "kind": "model_post",
            "name": "采购党员示范岗",
            "responsible": [world.member.pk],
            "starts_on": "2026-01-01",
            "criteria": "零差错",
        },
    )
    assert response.status_code == 302
    designation = Designation.objects.get()
    assert list(designation.responsible.all()) == [world.member]
    page = secretary.get(f"/vanguard/org/{world.branch.pk}/designations/").content.decode()
    assert "采购党员示范岗" in page and world.member.name in page
    card = secretary.get(f"/vanguard/card/{world.member.pk}/").content.decode()
    assert "采购党员示范岗" in card


def test_responsible_members_must_be_party_members_of_the_branch(world):
    with pytest.raises(ValidationError) as error:
        name(world, responsible=[world.masses, world.other_member])
    messages = " ".join(error.value.messages)
    assert "王群众 is not a party member of 采购合同党支部" in messages
    assert "李党员 is not a party member of 采购合同党支部" in messages
    with pytest.raises(ValidationError) as error:
        name(world, responsible=[])
    assert "at least one responsible member" in str(error.value)
    assert Designation.objects.count() == 0


def test_dates_and_the_zone_location_are_checked(world):
    with pytest.raises(ValidationError) as error:
        name(world, kind=Designation.Kind.SAFETY_ZONE, ends_on=START - datetime.timedelta(1))
    messages = " ".join(error.value.messages)
    assert "end date comes before the start date" in messages
    assert "Say where the safety responsibility zone is" in messages
    assert Designation.objects.count() == 0


def test_only_the_branch_leader_names_and_only_a_branch(world):
    with pytest.raises(ValidationError) as error:
        name(world, by=world.other_secretary.user)
    assert "do not lead 采购合同党支部" in str(error.value)
    with pytest.raises(ValidationError) as error:
        name(world, org=world.general, by=world.general_secretary.user)
    assert "named by a branch" in str(error.value)
    assert Designation.objects.count() == 0


def test_one_active_designation_per_name_and_revoking_frees_it(world, login):
    first = name(world)
    with pytest.raises(ValidationError) as error:
        name(world)
    assert "already has an active designation" in str(error.value)
    secretary = login("secretary")
    secretary.post(f"/vanguard/designations/{first.pk}/revoke/", {"reason": ""})
    first.refresh_from_db()
    assert first.status == Designation.Status.ACTIVE
    secretary.post(f"/vanguard/designations/{first.pk}/revoke/", {"reason": "岗位调整"})
    first.refresh_from_db()
    assert first.status == Designation.Status.REVOKED and first.ends_on is not None
    name(world)
    assert Designation.objects.count() == 2


def test_an_update_keeps_the_checks(world):
    designation = name(world)
    with pytest.raises(ValidationError):
        designation_update(
            designation=designation,
            responsible=[world.other_member],
            data=DesignationData(kind="model_post", name="新名", starts_on=START),
            by=world.secretary.user,
        )
    designation.refresh_from_db()
    assert designation.name == "合同履约党员示范岗"
    designation_revoke(designation=designation, by=world.secretary.user, reason="撤销")
    with pytest.raises(ValidationError) as error:
        designation_revoke(designation=designation, by=world.secretary.user, reason="再撤")
    assert "already revoked" in str(error.value)


def test_search_and_the_excel_ledger(world, login):
    name(world)
    name(
        world,
        org=world.other_branch,
        name="一号仓库安全责任区",
        kind=Designation.Kind.SAFETY_ZONE,
        location="一号库区",
        responsible=[world.other_member],
        by=world.other_secretary.user,
    )
    client = login("general")
    page = client.get(f"/vanguard/org/{world.general.pk}/designations/?q=一号库区").content.decode()
    assert "一号仓库安全责任区" in page and "合同履约党员示范岗" not in page
    response = client.get(f"/vanguard/org/{world.general.pk}/designations/export/?kind=safety_zone")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][3] == "一号仓库安全责任区" and rows[0][4] == "李党员"
    assert sheet.cell(row=2, column=3).value == "Kind"


@pytest.mark.parametrize(
    "persona,status",
    [
        ("anonymous", 302),
        ("unlinked", 404),
        ("member", 404),
        ("other_secretary", 404),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
    ],
)
def test_role_matrix_of_the_designation_pages(world, login, persona, status):
    designation = name(world)
    client = login(persona)
    for url in (
        f"/vanguard/org/{world.branch.pk}/designations/",
        f"/vanguard/org/{world.branch.pk}/designations/new/",
        f"/vanguard/designations/{designation.pk}/edit/",
        f"/vanguard/panel/org/{world.branch.pk}/",
    ):
        assert client.get(url).status_code == status, url


def test_the_panels_show_counts_and_the_host_tags_do_not_query(world, login):
    name(world)
    client = login("secretary")
    panel = client.get(f"/vanguard/panel/org/{world.branch.pk}/").content.decode()
    assert "Member model posts: 1" in panel
    page = client.get(f"/orgs/{world.branch.pk}/").content.decode()
    assert f"/vanguard/panel/org/{world.branch.pk}/" in page
    page = client.get(f"/people/{world.member.pk}/").content.decode()
    assert f"/vanguard/panel/person/{world.member.pk}/" in page


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_designation_list_keeps_its_query_count(world, login):
    """No query per designation for its branch, node or responsible members."""
    name(world)
    client = login("general")
    urls = [
        f"/vanguard/org/{world.general.pk}/designations/",
        f"/vanguard/panel/org/{world.general.pk}/",
    ]
    small = [_count(client, url) for url in urls]
    for n in range(10):
        people = [make_member(world.branch), make_member(world.branch)]
        name(world, name=f"示范岗{n}", responsible=people)
    assert small == [_count(client, url) for url in urls] == [11, 11]
