"""The service team: its roster (party members and activists only), its service log
(members who went must be on the team), who sees and writes what, the panels, and the
log's pinned query count at one and ten times the data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Person
from serviceteam.models import ServiceRecord, TeamMember
from serviceteam.services import (
    RecordData,
    service_record_create,
    team_member_add,
    team_member_leave,
)
from tests.factories import make_member
from tests.test_serviceteam_import import english, team

__all__ = ["english", "team"]

TODAY = timezone.localdate()


def record(team, members, *, on=None, unit="某项目部", kind="on_site"):
    return service_record_create(
        team=team,
        members=members,
        by=members[0],
        data=RecordData(
            served_on=on or TODAY,
            kind=kind,
            unit_kind="project_unit",
            unit_name=unit,
            work_done="现场协调到货",
            outcome="按期到货",
        ),
    )


@pytest.mark.parametrize(
    "status, allowed",
    [
        (Person.Status.FULL, True),
        (Person.Status.PROBATIONARY, True),
        (Person.Status.ACTIVIST, True),
        (Person.Status.CANDIDATE, True),
        (Person.Status.APPLICANT, False),
        (Person.Status.MASSES, False),
    ],
)
def test_only_party_members_and_activists_join(status, allowed, team, world):
    person = make_member(world.branch, status=status)
    if allowed:
        team_member_add(team=team, person=person, joined_on=TODAY)
    else:
        with pytest.raises(ValidationError, match="Only party members and activists"):
            team_member_add(team=team, person=person, joined_on=TODAY)
    assert TeamMember.objects.filter(person=person).exists() == allowed


def test_a_person_is_on_a_roster_once(team, world):
    with pytest.raises(ValidationError, match="already on the team"):
        team_member_add(team=team, person=world.member, joined_on=TODAY)
    assert team.members.count() == 1


def test_leaving_keeps_the_place_in_the_history(team, world):
    place = team.members.get()
    assert team_member_leave(place=place, on=TODAY) is True
    assert team_member_leave(place=place, on=TODAY) is False
    assert TeamMember.objects.current().filter(team=team).count() == 0
    team_member_add(team=team, person=world.member, joined_on=TODAY + datetime.timedelta(1))


def test_a_record_names_members_who_were_on_the_team(team, world):
    with pytest.raises(ValidationError, match=r"Not on the team on .*李党员"):
        record(team, [world.member, world.other_member])
    with pytest.raises(ValidationError, match="Not on the team"):
        record(team, [world.member], on=datetime.date(2024, 6, 1))  # before joining
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        record(team, [world.member], on=TODAY + datetime.timedelta(days=1))
    assert ServiceRecord.objects.count() == 0
    record(team, [world.member])
    assert ServiceRecord.objects.get().members.get() == world.member


def test_a_member_logs_a_service_from_the_page(team, world, login):
    client = login("member")
    response = client.post(
        f"/serviceteam/teams/{team.pk}/records/new/",
        {
            "served_on": TODAY.isoformat(),
            "kind": "reconciliation",
            "unit_kind": "supplier",
            "unit_name": "江苏某电缆有限公司",
            "members": [world.member.pk],
            "work_done": "核对结算台账",
            "outcome": "差异已查清",
        },
    )
    assert response.status_code == 302
    saved = ServiceRecord.objects.get()
    assert (saved.recorded_by, saved.unit_name) == (world.member, "江苏某电缆有限公司")
    page = client.get(f"/serviceteam/teams/{team.pk}/").content.decode()
    assert "江苏某电缆有限公司" in page and "核对结算台账" in page


def test_a_bad_record_shows_why_and_saves_nothing(team, world, login):
    response = login("member").post(
        f"/serviceteam/teams/{team.pk}/records/new/",
        {
            "served_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "kind": "on_site",
            "unit_kind": "project_unit",
            "unit_name": "某项目部",
            "members": [world.member.pk],
            "work_done": "x",
        },
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert ServiceRecord.objects.count() == 0


# The team belongs to the general branch; 张党员 (member, of 采购合同党支部) is its captain.
# Its branch secretary sees the team through their member; the other branch does not.
TEAM_PAGE = [
    ("anonymous", 302),
    ("unlinked", 404),
    ("other_member", 404),
    ("other_secretary", 404),
    ("member", 200),
    ("secretary", 200),
    ("general", 200),
    ("committee", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize("persona, status", TEAM_PAGE)
def test_who_sees_the_team_and_its_log(persona, status, team, world, login):
    record(team, [world.member], unit="临港项目部")
    client = login(persona)
    response = client.get(f"/serviceteam/teams/{team.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "临港项目部" in response.content.decode()
    index = client.get("/serviceteam/")
    assert index.status_code == (302 if persona == "anonymous" else 200)
    if persona != "anonymous":
        assert (team.name in index.content.decode()) == (status == 200)


# Roster changes need the lead of the team's organisation (or above); logging a service
# needs a place on the team or that lead.
WRITES = [
    ("member", 404, 200),
    ("secretary", 404, 404),
    ("other_secretary", 404, 404),
    ("general", 302, 200),
    ("committee", 302, 200),
]


@pytest.mark.parametrize("persona, add_status, log_status", WRITES)
def test_who_changes_the_roster_and_logs(persona, add_status, log_status, team, world, login):
    client = login(persona)
    newcomer = make_member(world.branch, name="新队员")
    response = client.post(
        f"/serviceteam/teams/{team.pk}/members/add/",
        {"person": newcomer.pk, "role": "member", "joined_on": TODAY.isoformat()},
    )
    assert response.status_code == add_status
    assert TeamMember.objects.filter(person=newcomer).exists() == (add_status == 302)
    assert client.get(f"/serviceteam/teams/{team.pk}/records/new/").status_code == log_status


def test_a_masses_person_cannot_be_added_from_the_page(team, world, login):
    client = login("general")
    response = client.post(
        f"/serviceteam/teams/{team.pk}/members/add/",
        {"person": world.masses.pk, "role": "member", "joined_on": TODAY.isoformat()},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    assert not TeamMember.objects.filter(person=world.masses).exists()


def test_the_panels(team, world, login):
    record(team, [world.member])
    page = login("general").get(f"/serviceteam/panel/org/{world.general.pk}/").content
    assert "服务队" in page.decode() and "Services this month" in page.decode()
    assert login("general").get(f"/serviceteam/panel/org/{world.branch.pk}/").content == b""
    assert (
        login("other_secretary").get(f"/serviceteam/panel/org/{world.general.pk}/").status_code
        == 404
    )
    person = login("member").get(f"/serviceteam/panel/person/{world.member.pk}/")
    assert "Services taken part in" in person.content.decode()
    assert (
        login("member").get(f"/serviceteam/panel/person/{world.other_member.pk}/").status_code
        == 404
    )


def test_the_host_pages_show_the_placeholders(team, world, login):
    assert (
        "serviceteam-organisation-panel"
        in login("general").get(f"/orgs/{world.general.pk}/").content.decode()
    )
    assert "serviceteam-person-panel" in login("member").get("/").content.decode()


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(team, world, n: int) -> None:
    people = []
    for _ in range(3):
        person = make_member(world.branch)
        team_member_add(team=team, person=person, joined_on=datetime.date(2025, 1, 1))
        people.append(person)
    for i in range(n):
        record(
            team,
            [world.member, people[i % 3]],
            unit=f"项目部{n}-{i}",
            on=TODAY - datetime.timedelta(days=i),
        )


# The page's 7 + the team (1) + the log's count, rows and members who went (3) + the
# roster (1) + one of: whether the member is on the team, or (for the general branch,
# which leads it) the roster form's choice of people (1).
@pytest.mark.parametrize("persona, pinned", [("member", 13), ("general", 13)])
def test_the_team_page_keeps_its_query_count_as_the_log_grows(persona, pinned, team, world, login):
    """Prevents a query per record for the members who went, or per member for a branch."""
    client = login(persona)
    grow(team, world, 3)
    first = count(client, f"/serviceteam/teams/{team.pk}/")
    grow(team, world, 30)
    assert count(client, f"/serviceteam/teams/{team.pk}/") == first == pinned


@pytest.mark.parametrize("persona", ["member", "committee", "unlinked"])
def test_the_landing_page_keeps_its_query_count(persona, team, world, login):
    client = login(persona)
    first = count(client, "/serviceteam/")
    grow(team, world, 10)
    assert count(client, "/serviceteam/") == first


def test_the_recorder_and_the_leaders_correct_a_record(team, world, login):
    saved = record(team, [world.member], unit="原单位")
    data = {
        "served_on": TODAY.isoformat(),
        "kind": "other",
        "unit_kind": "supplier",
        "unit_name": "更正后的单位",
        "members": [world.member.pk],
        "work_done": "对账",
    }
    url = f"/serviceteam/records/{saved.pk}/edit/"
    assert login("secretary").post(url, data).status_code == 404  # sees it, may not edit
    assert login("member").post(url, data).status_code == 302
    saved.refresh_from_db()
    assert saved.unit_name == "更正后的单位" and saved.history.count() == 2
    assert login("general").post(url, {**data, "unit_name": "总支更正"}).status_code == 302
    assert login("other_secretary").get(url).status_code == 404


def test_a_leader_takes_a_member_off_the_roster(team, world, login):
    place = team.members.get()
    assert login("member").post(f"/serviceteam/places/{place.pk}/leave/").status_code == 404
    response = login("general").post(f"/serviceteam/places/{place.pk}/leave/")
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.left_on == TODAY
    # No longer on the team: the former member may not log a service.
    assert login("member").get(f"/serviceteam/teams/{team.pk}/records/new/").status_code == 404


def test_the_log_exports_with_the_pages_filters(team, world, login):
    from io import BytesIO

    from openpyxl import load_workbook

    record(team, [world.member], unit="临港项目部", kind="on_site")
    record(team, [world.member], unit="某电缆公司", kind="reconciliation")
    response = login("secretary").get(f"/serviceteam/teams/{team.pk}/export/", {"kind": "on_site"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "服务日期", "服务类型", "服务单位")
    assert [row[3] for row in rows[2:]] == ["临港项目部"]
    assert rows[2][5] == "张党员"
    assert login("other_secretary").get(f"/serviceteam/teams/{team.pk}/export/").status_code == 404


def test_a_double_submit_logs_the_service_once(team, world, login):
    client = login("member")
    data = {
        "served_on": TODAY.isoformat(),
        "kind": "on_site",
        "unit_kind": "project_unit",
        "unit_name": "临港项目部",
        "members": [world.member.pk],
        "work_done": "协调",
    }
    url = f"/serviceteam/teams/{team.pk}/records/new/"
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "This service is already in the log." in response.content.decode()
    assert ServiceRecord.objects.count() == 1
