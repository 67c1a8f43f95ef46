"""The terms and elections admin: every changelist and change page opens, the rules are
editable data, rows are scoped to the user's subtree, and an effective election is
read-only."""

import datetime

import pytest
from django.contrib import admin

from elections import services
from elections.models import Election, Term, TermRule
from tests.admin_helpers import make_staff
from tests.factories import UserFactory

D = datetime.date
MODELS = [model for model in admin.site._registry if model._meta.app_label == "elections"]


@pytest.fixture
def rows(world):
    for org in (world.branch, world.other_branch, world.general, world.committee):
        org.refresh_from_db()
    mine = services.term_open(organisation=world.branch, started_on=D(2024, 1, 1))
    other = services.term_open(organisation=world.functional, started_on=D(2024, 1, 1))
    election = services.election_create(
        organisation=world.branch,
        kind="regular",
        seats=1,
        planned_on=D(2026, 12, 1),
        is_contested=False,
        by=None,
    )
    services.candidate_add(election=election, person=world.member)
    return mine, other, election


@pytest.fixture
def root(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_opens_every_changelist_and_change_page(root, rows, model):
    base = f"/admin/elections/{model._meta.model_name}/"
    assert root.get(base).status_code == 200
    obj = model.objects.first()
    assert root.get(f"{base}{obj.pk}/change/").status_code == 200


def test_the_rules_are_seeded_from_the_regulations(db):
    rules = {r.organisation_kind: r for r in TermRule.objects.all()}
    assert (rules["branch"].years, rules["general_branch"].years, rules["committee"].years) == (
        3,
        3,
        5,
    )
    assert "选举工作条例" in rules["branch"].source
    assert (rules["branch"].first_reminder_months, rules["branch"].second_reminder_months) == (6, 1)


def test_a_general_branch_sees_only_its_subtree(world, rows, client):
    mine, other, _election = rows
    make_staff("general")
    client.force_login(world.general_secretary.user)
    html = client.get("/admin/elections/term/").content.decode()
    assert f"/admin/elections/term/{mine.pk}/change/" in html
    assert f"/admin/elections/term/{other.pk}/change/" not in html
    assert client.get(f"/admin/elections/term/{other.pk}/change/").status_code in (302, 404)


def test_an_effective_election_is_read_only(root, rows):
    _mine, _other, election = rows
    Election.objects.filter(pk=election.pk).update(status=Election.Status.EFFECTIVE)
    response = root.post(f"/admin/elections/election/{election.pk}/change/", {"seats": 9})
    assert response.status_code == 403
    assert Term.objects.count() == 2
