"""What users type is shown as text, never run: a script stored in a person's name, a
meeting's topic, a visit record, a problem and a notice comes back escaped on every page
that shows it (lists, detail pages, panels, the bell and the admin).

The Content-Security-Policy (tests/test_csp.py) would stop such a script as well; this is
the first line: the templates escape (no |safe, mark_safe or autoescape off on user text).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from liaison.services import VisitData, visit_file
from meetings import services as meetings
from meetings.models import MeetingKind
from members.models import Person
from tests.test_liaison_ledger import make_problem
from tests.test_notices_views import make_notice

PAYLOAD = '"><script>alert(1)</script>'
ESCAPED = escape(PAYLOAD)


@pytest.fixture(autouse=True)
def fresh_paths(world):
    """The tree's paths as stored (organisations made after others can move them)."""
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def shows_escaped(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert PAYLOAD not in body, f"{url} shows the script as HTML"
    assert "<script>alert(1)" not in body, f"{url} shows the script as HTML"
    assert ESCAPED in body, f"{url} does not show the text at all"


def test_it_escapes_a_persons_name(world, login):
    Person.objects.filter(pk=world.member.pk).update(name=PAYLOAD)
    secretary = login("secretary")
    for url in ("/people/", f"/people/{world.member.pk}/", f"/vanguard/card/{world.member.pk}/"):
        shows_escaped(secretary, url)
    shows_escaped(login("member"), "/")  # the member's own home
    shows_escaped(login("superuser"), "/admin/members/person/")


def test_it_escapes_a_meetings_topic(world, login):
    meeting = meetings.meeting_create(
        organisation=world.branch,
        kind=MeetingKind.GENERAL_MEETING,
        data=meetings.MeetingData(
            held_at=timezone.now() - datetime.timedelta(hours=1),
            topic=PAYLOAD,
            content=PAYLOAD,
        ),
        by=world.secretary.user,
    )
    secretary = login("secretary")
    for url in (
        f"/meetings/org/{world.branch.pk}/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/edit/",
    ):
        shows_escaped(secretary, url)
    shows_escaped(login("superuser"), f"/admin/meetings/meeting/{meeting.pk}/change/")


def test_it_escapes_a_visit_record_and_its_opinion(world, login):
    visit = visit_file(
        visitor=world.member,
        opinions=[PAYLOAD],
        data=VisitData(
            visited=world.masses,
            visited_on=timezone.localdate(),
            method="phone",
            discussion=PAYLOAD,
        ),
    )
    shows_escaped(login("member"), "/liaison/visits/")
    shows_escaped(login("member"), f"/liaison/visits/{visit.pk}/edit/")
    secretary = login("secretary")
    shows_escaped(secretary, f"/liaison/org/{world.branch.pk}/visits/")
    shows_escaped(secretary, f"/liaison/org/{world.branch.pk}/opinions/")


def test_it_escapes_a_problem(world, login):
    problem = make_problem(world, title=PAYLOAD, now=timezone.now(), deadline=timezone.localdate())
    shows_escaped(login("member"), "/liaison/problems/mine/")
    secretary = login("secretary")
    shows_escaped(secretary, f"/liaison/org/{world.branch.pk}/problems/")
    shows_escaped(secretary, f"/liaison/problems/{problem.pk}/")


def test_it_escapes_a_notice_and_its_bell(world, login):
    notice = make_notice(world.branch, title=PAYLOAD, body=PAYLOAD)
    member = login("member")
    for url in ("/notices/", f"/notices/{notice.pk}/", "/notifications/"):
        shows_escaped(member, url)
    shows_escaped(login("secretary"), f"/notices/org/{world.branch.pk}/")
