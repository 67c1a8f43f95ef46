"""The supply status board: published to every logged-in user, entered only by the
service team; week-on-week change markers; a project's timeline and corrections; the
export; pinned query counts at one and ten times the data."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from serviceteam.models import KeyProject, WeeklyStatus
from serviceteam.selectors import DOWN, NEW, SAME, UP, board_rows
from serviceteam.services import weekly_status_record
from tests.test_serviceteam_import import english, projects, team, this_week, values

__all__ = ["english", "projects", "team"]

BOARD = "/serviceteam/board/"
LAST = this_week() - datetime.timedelta(days=7)


@pytest.fixture
def two_weeks(projects):
    """P-1 advances, P-2 regresses, P-3 is new this week; a fourth project has no entry."""
    p1, p2, p3 = projects
    weekly_status_record(project=p1, week=LAST, values=values(80, "in_progress"), by=None)
    weekly_status_record(
        project=p2, week=LAST, values=values(100, "awarded", "signed", 40), by=None
    )
    weekly_status_record(
        project=p1, week=this_week(), by=None, values=values(100, "awarded", "not_signed", 0)
    )
    weekly_status_record(
        project=p2,
        week=this_week(),
        by=None,
        values=values(100, "awarded", "signed", 30, True, "退货"),
    )
    weekly_status_record(project=p3, week=this_week(), values=values(30, "not_started"), by=None)
    KeyProject.objects.create(code="P-4", name="35千伏工程4")
    return projects


def test_it_marks_each_stage_against_the_previous_week(two_weeks):
    rows = {
        row.project.code: row
        for row in board_rows(KeyProject.objects.order_by("code"), week=this_week())
    }
    assert rows["P-1"].changes == {
        "plan_allocation": UP,
        "tendering": UP,
        "contract": SAME,
        "arrival": SAME,
    }
    assert rows["P-1"].advanced and not rows["P-1"].regressed
    assert rows["P-2"].changes["arrival"] == DOWN and rows["P-2"].regressed
    assert rows["P-3"].is_new and set(rows["P-3"].changes.values()) == {NEW}
    assert rows["P-4"].status is None


def test_a_skipped_week_compares_with_the_latest_earlier_entry(projects):
    p1 = projects[0]
    weekly_status_record(
        project=p1, week=LAST - datetime.timedelta(days=7), by=None, values=values(40)
    )
    weekly_status_record(project=p1, week=this_week(), values=values(60), by=None)
    (row,) = board_rows([p1], week=this_week())
    assert row.changes["plan_allocation"] == UP and not row.is_new


def test_the_board_shows_the_markers_to_a_plain_member(two_weeks, login):
    page = login("other_member").get(BOARD).content.decode()
    assert 'data-project="P-1"' in page
    assert page.count('data-marker="advanced"') == 1
    assert page.count('data-marker="regressed"') == 1
    assert page.count('data-marker="new"') == 1
    assert page.count('data-marker="missing"') == 1
    assert "Behind schedule" in page and "退货" in page
    assert "Import the weekly sheet" not in page  # not on the team


def test_the_board_defaults_to_the_latest_week_with_entries(projects, login):
    weekly_status_record(project=projects[0], week=LAST, values=values(77), by=None)
    page = login("member").get(BOARD).content.decode()
    assert f"Week of {LAST.isoformat()}" in page and "77%" in page


def test_the_board_filters_and_searches(two_weeks, login):
    client = login("member")
    delayed = client.get(BOARD, {"show": "delayed"}).content.decode()
    assert 'data-project="P-2"' in delayed and 'data-project="P-1"' not in delayed
    missing = client.get(BOARD, {"show": "missing"}).content.decode()
    assert 'data-project="P-4"' in missing and 'data-project="P-1"' not in missing
    search = client.get(BOARD, {"q": "工程3"}).content.decode()
    assert 'data-project="P-3"' in search and 'data-project="P-2"' not in search
    old = client.get(BOARD, {"week": LAST.isoformat()}).content.decode()
    assert old.count('data-marker="new"') == 2


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("unlinked", 200),
        ("member", 200),
        ("other_member", 200),
        ("other_secretary", 200),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
    ],
)
def test_every_logged_in_user_reads_the_board(persona, status, two_weeks, team, login):
    client = login(persona)
    assert client.get(BOARD).status_code == status
    assert client.get(f"/serviceteam/projects/{two_weeks[0].pk}/").status_code == status
    assert client.get("/serviceteam/board/export/").status_code == status


# Who may enter: the team (member is its captain), and leaders of its organisation (the
# general branch) or above; not a secretary below it, nor anyone else.
ENTRY = [
    ("member", True),
    ("general", True),
    ("committee", True),
    ("superuser", True),
    ("secretary", False),
    ("other_secretary", False),
    ("other_member", False),
    ("unlinked", False),
]


@pytest.mark.parametrize("persona, allowed", ENTRY)
def test_only_the_team_enters_statuses(persona, allowed, team, projects, login):
    client = login(persona)
    response = client.post(
        f"/serviceteam/projects/{projects[0].pk}/",
        {
            "week": this_week().isoformat(),
            "plan_allocation": 60,
            "tendering": "in_progress",
            "contract": "not_signed",
            "arrival": 0,
        },
    )
    assert response.status_code == (302 if allowed else 404)
    assert WeeklyStatus.objects.count() == int(allowed)
    for url in ("/serviceteam/import/", "/serviceteam/board/template/"):
        assert client.get(url).status_code == (200 if allowed else 404)


def test_a_former_team_member_may_no_longer_enter(team, projects, login):
    team.members.update(left_on=datetime.date(2025, 6, 1))
    assert login("member").get("/serviceteam/import/").status_code == 404


def test_the_entry_form_corrects_a_past_week_only_with_a_reason(team, projects, login):
    weekly_status_record(project=projects[0], week=LAST, values=values(50), by=None)
    client = login("member")
    url = f"/serviceteam/projects/{projects[0].pk}/"
    data = {
        "week": (LAST + datetime.timedelta(days=3)).isoformat(),
        "plan_allocation": 70,
        "tendering": "in_progress",
        "contract": "not_signed",
        "arrival": 0,
    }
    response = client.post(url, data)
    assert "Give a reason for amending" in response.content.decode()
    assert WeeklyStatus.objects.get().plan_allocation == 50
    response = client.post(url, {**data, "reason": "项目部更正"})
    assert response.status_code == 302
    status = WeeklyStatus.objects.get()
    assert (status.week, status.plan_allocation) == (LAST, 70)
    page = client.get(url).content.decode()
    assert "项目部更正" in page  # the correction, with its reason, on the timeline page
    # Saving the same values again writes no history.
    count = status.history.count()
    client.post(url, {**data, "reason": "再次"})
    assert status.history.count() == count


def test_the_entry_form_refuses_bad_values(team, projects, login):
    response = login("member").post(
        f"/serviceteam/projects/{projects[0].pk}/",
        {
            "week": this_week().isoformat(),
            "plan_allocation": 130,
            "tendering": "soon",
            "contract": "not_signed",
            "arrival": -1,
        },
    )
    assert response.status_code == 200
    assert WeeklyStatus.objects.count() == 0


def test_the_export_has_the_pages_columns_and_rows(two_weeks, login):
    response = login("member").get("/serviceteam/board/export/", {"week": this_week().isoformat()})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:9] == (
        "项目编号",
        "项目名称",
        "建设单位",
        "计划分配",
        "招标",
        "合同结算",
        "到货",
        "是否滞后",
        "较上周",
    )
    by_code = {row[0]: row for row in rows[2:]}
    assert by_code["P-2"][3:10] == ("100%", "已定标", "已签订", "30%", "是", "Regressed", "退货")
    assert by_code["P-4"][8] == "No entry this week"
    filtered = login("member").get("/serviceteam/board/export/", {"show": "delayed"})
    rows = list(load_workbook(BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == ["P-2"]


def test_the_timeline_lists_each_week_with_its_change(two_weeks, login):
    page = login("other_member").get(f"/serviceteam/projects/{two_weeks[1].pk}/").content
    page = page.decode()
    assert page.count('data-marker="regressed"') == 1 and page.count('data-marker="new"') == 1
    assert "Enter a week" not in page


def grow(n: int, prefix: str) -> None:
    """n more projects with two weeks each, some entered by a login with a person."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="member")
    for i in range(n):
        project = KeyProject.objects.create(code=f"{prefix}-{i:03d}", name=f"扩容工程{i}")
        weekly_status_record(project=project, week=LAST, values=values(40), by=user)
        weekly_status_record(
            project=project,
            week=this_week(),
            values=values(60 + i % 30),
            by=user if i % 2 else None,
        )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The page's 7 (see tests/test_query_counts.py) + may-enter (1) + the page's count and
# projects (2) + this week's and the previous statuses (2) + the weeks list (1) + the
# figures (1) + the latest week (1).
BOARD_QUERIES = 15


def test_the_board_keeps_its_query_count_as_projects_grow(team, login):
    """Prevents a query per row for the previous week, or for who entered it."""
    client = login("member")
    grow(3, "G")
    assert count(client, BOARD) == BOARD_QUERIES
    grow(27, "H")
    assert count(client, BOARD) == BOARD_QUERIES


def test_the_overview_panel_counts_delays(two_weeks, login):
    page = login("committee").get("/serviceteam/panel/overview/").content.decode()
    assert "Behind schedule" in page and "This week" in page
