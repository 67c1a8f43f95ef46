"""The terms and elections demo: every elected organisation has a term, one ends within
six months and one is overdue (the overview shows both), an election is under way and
one took effect in the past; a second load creates nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from branches.models import Organisation
from elections.models import Election, Term
from elections.selectors import ending_and_overdue
from members.models import Post
from tests.demo_data import load_demo


def test_every_elected_organisation_has_one_open_term(loaded):
    elected = Organisation.objects.exclude(kind=Organisation.Kind.GROUP)
    assert Term.objects.open().count() == elected.count() == 8


def test_one_term_ends_within_six_months_and_one_is_overdue(loaded):
    soon, overdue = ending_and_overdue(Term.objects.all(), timezone.localdate())
    assert [t.organisation.name for t in soon] == ["仓储配送党支部"]
    assert [t.organisation.name for t in overdue] == ["处置质监党支部"]


def test_an_election_is_under_way_and_one_took_effect(loaded):
    running = Election.objects.get(organisation__name="处置质监党支部")
    assert running.status == Election.Status.APPROVED
    assert running.candidates.count() == 4 and running.seats == 3
    past = Election.objects.get(organisation__name="计划招标党支部")
    assert past.status == Election.Status.EFFECTIVE
    assert past.new_term.is_open and past.term.closed_on == past.effective_on
    assert past.candidates.filter(is_elected=True).count() == 4
    # The committee was re-elected to its posts: they run on from the demo's start.
    secretary = Post.objects.get(organisation=past.organisation, role=Post.Role.SECRETARY)
    assert secretary.person.user.username == "qianduan" and secretary.ended_on is None


@pytest.mark.parametrize("username", ["dangwei", "zongzhi"])
def test_the_overview_shows_the_terms_ending_and_overdue(loaded, username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    assert "elections-overview-panel" in client.get("/").content.decode()
    html = client.get("/elections/overview-panel/").content.decode()
    assert "仓储配送党支部" in html and "处置质监党支部" in html


def test_a_second_load_creates_no_term_or_election(loaded):
    terms, elections = Term.objects.count(), Election.objects.count()
    out = load_demo()
    assert Term.objects.count() == terms and Election.objects.count() == elections
    assert "Nothing new" in out
