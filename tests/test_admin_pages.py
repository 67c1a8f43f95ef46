"""Every admin page opens: each changelist, add, change and history page, and the tree."""


import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from branches.models import (
    BusinessNode,
    ExternalOrganisation,
    Organisation,
    Partnership,
    Segment,
    StructureRule,
)
from members.models import Membership, Person, Post
from members.permissions import ensure_committee_admin_group
from tests.admin_helpers import User, assessments_objects, form_data, liaison_objects, url
from tests.factories import START

ADMIN_APPS = {"branches", "members", "liaison", "auth"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ADMIN_APPS),
    key=lambda model: model._meta.label,
)


def _ids(model) -> str:
    return model._meta.label


@pytest.fixture
def objects(world) -> dict:
    """One object of each registered model, for its change and history pages."""
    partner = ExternalOrganisation.objects.create(name="国网物资部党支部", superior="国网公司")
    pairing = Partnership.objects.create(
        organisation=world.general, partner=partner, title="现场收货服务提升", started_on=START
    )
    return {
        Segment: Segment.objects.get(code="middle"),
        BusinessNode: BusinessNode.objects.get(code="contracts"),
        Organisation: world.branch,
        StructureRule: StructureRule.objects.get(code="committee_threshold"),
        ExternalOrganisation: partner,
        Partnership: pairing,
        Person: world.member,
        Membership: world.member.memberships.get(),
        Post: Post.objects.get(person=world.secretary),
        User: User.objects.get(username="member"),
        Group: ensure_committee_admin_group(),
        **assessments_objects(world),
        **liaison_objects(world),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_it_opens_every_changelist_and_add_page(superuser, model):
    assert superuser.get(url(model, "changelist")).status_code == 200
    assert superuser.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_it_opens_every_change_and_history_page(superuser, objects, model):
    obj = objects.get(model) or model._default_manager.first()
    assert obj is not None, f"No {model._meta.label} to open: add one to the `objects` fixture."
    assert superuser.get(url(model, "change", obj.pk)).status_code == 200
    assert superuser.get(url(model, "history", obj.pk)).status_code == 200


def test_it_opens_an_organisations_history_after_an_edit_in_the_admin(superuser, world):
    change = url(Organisation, "change", world.branch.pk)
    data = form_data(superuser.get(change))
    data["unit"] = "合同管理部"
    assert superuser.post(change, data).status_code == 302

    history = superuser.get(url(Organisation, "history", world.branch.pk))
    assert history.status_code == 200
    before_edit = world.branch.history.filter(unit="").latest()
    revert = reverse(
        "admin:branches_organisation_simple_history", args=(world.branch.pk, before_edit.history_id)
    )
    revert_page = superuser.get(revert)
    assert revert_page.status_code == 200
    assert superuser.post(revert, form_data(revert_page)).status_code == 302
    world.branch.refresh_from_db()
    assert world.branch.unit == ""
    assert Organisation.objects.get_parent(world.branch) == world.general
    assert not any(Organisation.objects.find_problems())


def test_it_shows_the_tree_one_level_at_a_time(superuser, world):
    top = superuser.get(url(Organisation, "changelist")).content.decode()
    assert world.committee.name in top
    assert world.branch.name not in top

    children = superuser.get(url(Organisation, "changelist") + f"children/{world.general.pk}/")
    assert children.status_code == 200
    assert world.branch.name in children.json()["result_html"]


def test_it_shows_a_branchs_structure_warnings_with_their_source(superuser, world):
    page = superuser.get(url(Organisation, "change", world.branch.pk)).content.decode()
    source = StructureRule.objects.get(code="company_min_members").source
    assert source in page
