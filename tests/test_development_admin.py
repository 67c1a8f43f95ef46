"""The development admin: every changelist and change page opens for the committee;
the rules are edited there (and the services obey the edit); records are read-only;
a general branch's staff sees only its subtree's records."""

import datetime

import pytest
from django.contrib import admin

from development.models import Candidacy, DevelopmentRule, MentorPair
from development.services import candidacy_open, development_advance, mentor_pair_create
from members.models import Person
from tests.admin_helpers import make_staff
from tests.factories import UserFactory, make_member

D = datetime.date
MODELS = [model for model in admin.site._registry if model._meta.app_label == "development"]


@pytest.fixture
def superuser(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows(world):
    person = make_member(
        world.branch, status=Person.Status.MASSES, birth_date=D(1995, 1, 1), name="申请人"
    )
    c = candidacy_open(person=person, branch=world.branch, applied_on=D(2026, 1, 5))
    development_advance(candidacy=c, step="talk", on=D(2026, 1, 20))
    other = make_member(
        world.other_branch, status=Person.Status.MASSES, birth_date=D(1995, 1, 1), name="别处申请人"
    )
    candidacy_open(person=other, branch=world.other_branch, applied_on=D(2026, 1, 5))
    pair = mentor_pair_create(
        branch=world.branch,
        kind="member_staff",
        mentor=world.member,
        mentee=world.masses,
        goals="带教",
        started_on=D(2026, 1, 1),
    )
    return c, pair


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_opens_every_changelist_and_change_page(superuser, world, rows, model):
    name = model._meta.model_name
    assert superuser.get(f"/admin/development/{name}/").status_code == 200
    obj = model.objects.first()
    assert superuser.get(f"/admin/development/{name}/{obj.pk}/change/").status_code == 200


def test_the_committee_edits_a_rule_and_the_pipeline_obeys(superuser, world):
    rule = DevelopmentRule.objects.get(code="min_age")
    assert rule.value == 18 and "发展党员工作细则" in rule.source
    response = superuser.post(
        f"/admin/development/developmentrule/{rule.pk}/change/",
        {"value": 20, "source": rule.source, "note": rule.note},
    )
    assert response.status_code == 302
    person = make_member(world.branch, status=Person.Status.MASSES, birth_date=D(2007, 1, 1))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="20"):
        candidacy_open(person=person, branch=world.branch, applied_on=D(2026, 2, 1))


def test_every_rule_of_the_regulations_is_seeded(db):
    assert set(DevelopmentRule.objects.values_list("code", flat=True)) == set(
        DevelopmentRule.Code.values
    )


def test_records_are_read_only_and_cannot_be_added(superuser, rows):
    c, _pair = rows
    assert superuser.get("/admin/development/candidacy/add/").status_code == 403
    superuser.post(f"/admin/development/candidacy/{c.pk}/change/", {"stage": "full", "note": "x"})
    c.refresh_from_db()
    assert c.stage == "applicant"


def test_a_general_branch_sees_only_its_subtree(client, world, rows):
    make_staff("general")
    client.force_login(world.general_secretary.user)
    page = client.get("/admin/development/candidacy/").content.decode()
    assert "申请人" in page
    functional = make_member(
        world.functional, status=Person.Status.MASSES, birth_date=D(1995, 1, 1), name="职能申请人"
    )
    hidden = candidacy_open(person=functional, branch=world.functional, applied_on=D(2026, 1, 5))
    assert client.get(f"/admin/development/candidacy/{hidden.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    assert MentorPair.objects.count() == 1
    assert Candidacy.objects.count() == 3
