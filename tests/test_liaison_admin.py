"""The liaison admin opens for the committee: every changelist, and a problem's page
with its steps inline; the ledger itself is read-only there."""

import pytest
from django.contrib import admin
from django.utils import timezone

from liaison.models import Problem
from tests.factories import UserFactory
from tests.test_liaison_ledger import make_problem

MODELS = [model for model in admin.site._registry if model._meta.app_label == "liaison"]


@pytest.fixture
def superuser(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_opens_every_changelist(superuser, world, model):
    url = f"/admin/liaison/{model._meta.model_name}/"
    assert superuser.get(url).status_code == 200


def test_it_shows_a_problem_read_only_with_its_steps(superuser, world):
    world.branch.refresh_from_db()
    problem = make_problem(world, now=timezone.now(), deadline=timezone.localdate())
    response = superuser.get(f"/admin/liaison/problem/{problem.pk}/change/")
    assert response.status_code == 200
    assert problem.title in response.content.decode()
    assert superuser.post(f"/admin/liaison/problem/{problem.pk}/change/",
                          {"title": "x"}).status_code == 403
    assert Problem.objects.get().title == problem.title


def test_the_admin_registers_a_problem_through_the_service(superuser, world):
    world.branch.refresh_from_db()
    from liaison.models import ProblemCategory

    category = ProblemCategory.objects.first().pk
    data = {"title": "admin 登记", "description": "", "category": category,
            "organisation": world.branch.pk, "owner": world.member.pk,
            "raised_by": world.masses.pk, "deadline": "2000-01-01"}
    response = superuser.post("/admin/liaison/problem/add/", data,
                              headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "in the past" in response.content.decode()
    assert not Problem.objects.exists()
    data["deadline"] = timezone.localdate().isoformat()
    assert superuser.post("/admin/liaison/problem/add/", data).status_code == 302
    assert Problem.objects.get().events.get().to_state == "registered"


@pytest.mark.parametrize("model_name", ["problem", "pairing"])
def test_add_forms_search_people_instead_of_listing_everyone(superuser, world, model_name):
    """At provincial scale a drop-down of every person is hundreds of thousands of options."""
    html = superuser.get(f"/admin/liaison/{model_name}/add/").content.decode()
    assert "admin-autocomplete" in html
    assert world.other_member.name not in html
