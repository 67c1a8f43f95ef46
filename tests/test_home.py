"""The home page fits the role."""

import pytest


def test_it_sends_a_secretary_to_their_branch(login, world):
    response = login("secretary").get("/")
    assert response.status_code == 302
    assert response.url == f"/orgs/{world.branch.pk}/"


def test_it_shows_the_committee_an_overview_of_the_tree(login, world):
    body = login("committee").get("/").content.decode()
    for org in (world.committee, world.general, world.functional):
        assert org.name in body


def test_it_shows_a_general_branch_its_own_subtree(login, world):
    body = login("general").get("/").content.decode()
    assert world.branch.name in body and world.other_branch.name in body
    assert world.functional.name not in body


def test_it_shows_a_member_their_branch_and_secretary(login, world):
    body = login("member").get("/").content.decode()
    assert world.branch.name in body
    assert world.secretary.name in body
    assert world.group.name in body


def test_it_tells_an_unlinked_login_what_to_do(login, world):
    response = login("unlinked").get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "members/unlinked.html"


@pytest.mark.parametrize("persona", ["member", "secretary", "committee"])
def test_it_speaks_chinese_by_default(persona, login, world):
    body = login(persona).get("/", follow=True).content.decode()
    assert '<html lang="zh-hans">' in body


def test_it_switches_to_english(login, world):
    client = login("member")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "My organisation" in body
