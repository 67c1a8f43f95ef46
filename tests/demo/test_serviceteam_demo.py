"""The service team demo: a team under the committee with eight members, twenty services,
eight key projects with six weeks advancing to this week; a rerun adds nothing; the demo
logins see what the story needs."""

from django.test import Client

from serviceteam.models import KeyProject, ServiceRecord, ServiceTeam, TeamMember, WeeklyStatus
from serviceteam.selectors import board_rows, this_week
from tests.demo_data import load_demo

PASSWORD = "Dangjian@2026"


def counts() -> list[int]:
    return [
        model.objects.count()
        for model in (ServiceTeam, TeamMember, ServiceRecord, KeyProject, WeeklyStatus)
    ] + [WeeklyStatus.history.count()]


def test_the_demo_has_the_team_the_log_and_six_weeks_of_the_board(loaded):
    team = ServiceTeam.objects.get()
    assert team.organisation.name == "物资公司党委"
    assert team.members.count() == 8
    assert team.members.filter(role="captain").get().person.name == "周文博"
    assert ServiceRecord.objects.count() == 20
    assert KeyProject.objects.count() == 8
    weeks = sorted(set(WeeklyStatus.objects.values_list("week", flat=True)))
    assert len(weeks) == 6 and weeks[-1] == this_week()
    rows = board_rows(KeyProject.objects.order_by("code"), week=this_week())
    assert all(row.status is not None for row in rows)
    assert sum(row.advanced for row in rows) >= 4
    assert sum(row.regressed for row in rows) == 1
    assert sum(row.status.is_delayed for row in rows) == 1


def test_a_second_load_creates_nothing(loaded):
    before = counts()
    out = load_demo()
    assert counts() == before
    # Only this feature's rows: other apps' demos answer for their own.
    for what in (
        "service teams",
        "service team members",
        "service records",
        "key projects",
        "weekly supply statuses",
    ):
        assert f"{what}: " not in out or f"{what}: 0" in out


def test_the_demo_logins_see_the_story(loaded):
    member = Client()
    assert member.login(username="dangyuan", password=PASSWORD)  # 林晓雯, on the team
    team = ServiceTeam.objects.get()
    assert member.get(f"/serviceteam/teams/{team.pk}/").status_code == 200
    assert member.get("/serviceteam/import/").status_code == 200
    board = member.get("/serviceteam/board/").content.decode()
    assert "110千伏临港输变电工程" in board and 'data-marker="regressed"' in board
    secretary = Client()
    assert secretary.login(username="qianduan", password=PASSWORD)  # not on the team
    assert secretary.get("/serviceteam/board/").status_code == 200
    assert secretary.get("/serviceteam/import/").status_code == 404
    committee = Client()
    assert committee.login(username="dangwei", password=PASSWORD)
    assert (
        "物资公司共产党员服务队"
        in committee.get(f"/serviceteam/panel/org/{team.organisation_id}/").content.decode()
    )
