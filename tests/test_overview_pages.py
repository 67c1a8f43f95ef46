"""The overview pages as their users see them: the numbers of a subtree for a period,
the drill-down from the committee to a member keeping the period, the segments side
by side, the charts with their tables, who may open what, and Chinese by default.

The figures are those worked out in tests/overview_data.py."""

import re

import pytest
import time_machine
from django.urls import reverse

from tests.overview_data import NOW, fill


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def filled(world, settings):
    settings.LANGUAGE_CODE = "en"
    fill(world)
    return world


def dashboard(org, period=None) -> str:
    url = reverse("overview:dashboard", args=[org.pk])
    return f"{url}?period={period}" if period else url


def segments(org, period=None) -> str:
    url = reverse("overview:segments", args=[org.pk])
    return f"{url}?period={period}" if period else url


def person_page(person, period=None) -> str:
    url = reverse("overview:person", args=[person.pk])
    return f"{url}?period={period}" if period else url


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    """The page's visible text, one space between words."""
    body = response.content.decode()
    body = re.sub(r"<(script|svg)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# --- The numbers ---------------------------------------------------------------------


def test_the_committee_sees_the_whole_subtree_of_the_month(filled, login):
    response = english(login("committee")).get(dashboard(filled.committee))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.meetings_held, total.studies_held, total.lessons_held) == (4, 1, 0)
    assert (total.attendance_present, total.attendance_expected) == (7, 9)
    assert (total.visits, total.opinions) == (2, 1)
    assert (total.problems_registered, total.problems_written_off) == (2, 2)
    assert (total.problems_written_off_on_time, total.problems_open) == (1, 3)
    assert total.problems_overdue == 2
    assert (total.applicants, total.admitted, total.credits) == (1, 1, 2)
    assert (total.compliance.required, total.compliance.held, total.compliance.missing) == (
        9,
        4,
        5,
    )
    page = text(response)
    assert "77.8%" in page  # attendance: 7 of 9
    assert "7 present of 9 expected" in page
    assert "2026-05" in page
    assert "figures as of" in page


def test_the_years_grades_and_the_red_flag(filled, login):
    response = english(login("committee")).get(dashboard(filled.committee, "2026-05"))
    total = response.context["total"]
    assert (total.branch_excellent, total.branch_pending) == (1, 1)
    assert (total.appraisal_excellent, total.appraisal_qualified) == (1, 1)
    card = re.search(r'id="card-red-flag".*?</div>', response.content.decode(), re.S).group(0)
    assert filled.branch.name in card
    april = english(login("committee")).get(dashboard(filled.committee, "2026-04"))
    assert "No branch of this organisation holds the red flag" in text(april)


def test_a_past_month_shows_its_own_figures_and_states(filled, login):
    total = english(login("committee")).get(dashboard(filled.committee, "2026-04")).context["total"]
    assert (total.meetings_held, total.lessons_held, total.visits) == (1, 1, 1)
    # On April 30: P2 open, due that day, so not overdue yet.
    assert (total.problems_open, total.problems_overdue) == (1, 0)
    assert total.compliance is None  # the lead's summary has no April rows here


def test_a_quarter_sums_its_months_and_reads_states_as_of_its_last_begun_month(filled, login):
    response = english(login("committee")).get(dashboard(filled.committee, "2026-Q2"))
    board, total = response.context["board"], response.context["total"]
    assert board.as_of.month == 5 and board.ongoing
    assert (total.meetings_held, total.lessons_held, total.visits) == (5, 1, 3)
    assert (total.attendance_present, total.attendance_expected) == (9, 11)
    assert total.problems_open == 3  # as of today, not summed over April and May
    assert total.compliance.missing == 5


def test_the_trend_runs_over_the_year_and_stops_at_this_month(filled, login):
    board = english(login("committee")).get(dashboard(filled.committee)).context["board"]
    by_month = {month.month: figures for month, figures in board.trend}
    assert len(by_month) == 12
    assert by_month[4].meetings_held == 1 and by_month[5].meetings_held == 4
    assert by_month[6] is None  # not begun


def test_a_malformed_or_future_period_falls_back_to_this_month(filled, login):
    client = english(login("committee"))
    for period in ("2026-13", "abc", "2026-Q7", "2031"):
        response = client.get(dashboard(filled.committee, period))
        assert response.context["period"].key == "2026-05"
        assert "showing this month" in text(response)


# --- Drill-down ----------------------------------------------------------------------


def test_the_drill_down_keeps_the_period_from_the_committee_to_a_member(filled, login):
    client = english(login("committee"))
    committee = client.get(dashboard(filled.committee, "2026-04")).content.decode()
    assert f'href="{dashboard(filled.general, "2026-04")}"' in committee
    assert f'href="{dashboard(filled.functional, "2026-04")}"' in committee
    general = client.get(dashboard(filled.general, "2026-04"))
    rows = {row.label: row.figures for row in general.context["board"].children}
    assert rows[filled.branch.name].lessons_held == 1
    assert f'href="{dashboard(filled.branch, "2026-04")}"' in general.content.decode()
    # The way back up keeps it too.
    assert f'href="{dashboard(filled.committee, "2026-04")}"' in general.content.decode()
    branch = client.get(dashboard(filled.branch, "2026-04")).content.decode()
    assert f'href="{person_page(filled.member, "2026-04")}"' in branch
    member = client.get(person_page(filled.member, "2026-04"))
    assert member.status_code == 200
    assert member.context["period"].key == "2026-04"


def test_the_level_below_adds_up_to_the_whole(filled, login):
    board = english(login("general")).get(dashboard(filled.general)).context["board"]
    rows = {row.label: row.figures for row in board.children}
    # The branch with its group: theme day and group meeting; 3+1+2 expected.
    branch = rows[filled.branch.name]
    assert (branch.meetings_held, branch.attendance_expected, branch.visits) == (2, 6, 1)
    assert (branch.compliance.required, branch.compliance.missing) == (4, 2)
    assert rows[filled.other_branch.name].problems_overdue == 1
    assert sum(r.meetings_held for r in rows.values()) == board.total.meetings_held == 3


def test_the_branch_lists_its_members_with_their_own_figures(filled, login):
    response = english(login("secretary")).get(dashboard(filled.branch))
    members = {row.person.name: row for row in response.context["members"]}
    assert "王群众" not in members  # non-party staff are not in the list
    member = members[filled.member.name]
    # Theme day and group meeting present; the draft does not count.
    assert (member.present, member.expected, member.visits, member.credits) == (2, 2, 1, 2)
    assert members[filled.group_leader.name].attendance_rate == 50.0
    assert members[filled.secretary.name].expected == 2  # with the meeting without quorum


def test_the_member_level_shows_one_persons_figures(filled, login):
    response = english(login("member")).get(person_page(filled.member, "2026-Q2"))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.present, total.expected, total.visits, total.credits) == (3, 3, 2, 2)
    assert len(response.context["attendances"]) == 3  # lesson, group meeting, theme day
    assert "100%" in text(response)


# --- Segments ------------------------------------------------------------------------


def test_the_segments_put_branches_side_by_side(filled, login):
    response = english(login("committee")).get(segments(filled.committee))
    columns = {column.segment.code: column for column in response.context["columns"]}
    assert list(columns) == ["front", "middle", "back", "end", "functional"]
    middle = columns["middle"]
    assert [row.label for row in middle.branches] == [filled.branch.name]
    # The branch with its group: 2 meetings held, 6 expected, 5 present; compliance 4/2.
    assert (middle.figures.meetings_held, middle.figures.attendance_expected) == (2, 6)
    assert middle.figures.attendance_present == 5
    assert (middle.figures.compliance.required, middle.figures.compliance.missing) == (4, 2)
    back = columns["back"]
    assert back.figures.problems_overdue == 1 and back.branch_count == 1
    assert columns["front"].branch_count == 0
    assert columns["functional"].branches[0].label == filled.functional.name
    page = response.content.decode()
    assert f'href="{dashboard(filled.branch, "2026-05")}"' in page
    assert 'id="segments"' in page


def test_the_dashboard_charts_segments_too(filled, login):
    board = english(login("committee")).get(dashboard(filled.committee)).context["board"]
    by_name = {row.label: row.figures for row in board.segments}
    assert by_name["中端"].meetings_held == 2  # the branch and its group
    assert by_name["后端"].attendance_rate == 0.0
    # The committee's own central-group study belongs to no segment.
    assert sum(f.meetings_held for f in by_name.values()) == 3


# --- Charts --------------------------------------------------------------------------


def test_every_chart_is_an_accessible_svg_followed_by_its_numbers(filled, login):
    page = english(login("committee")).get(dashboard(filled.committee)).content.decode()
    charts = re.findall(r'<figure class="mb-2" id="chart-([\w-]+)">', page)
    assert set(charts) == {"activity", "attendance", "problems", "segment-rates", "segment-work"}
    for key in charts:
        svg = re.search(rf'<figure class="mb-2" id="chart-{key}">.*?</svg>', page, re.S).group(0)
        assert 'role="img"' in svg and "aria-label=" in svg
        assert f'<title id="chart-{key}-title">' in svg
        assert f'id="table-{key}"' in page
    attendance = re.search(r'id="table-attendance".*?</table>', page, re.S).group(0)
    assert "77.8%" in attendance and "100%" in attendance  # May and April


def test_the_chart_axis_counts_in_whole_steps():
    from overview.charts import axis

    assert axis(21) == (30, 10.0)
    assert axis(2) == (2, 1.0)
    assert axis(0) == (1, 1.0)
    assert axis(42.5, "%") == (100.0, 25.0)


# --- Who may open what ---------------------------------------------------------------

PAGES = {
    "committee dashboard": lambda w: dashboard(w.committee),
    "general dashboard": lambda w: dashboard(w.general),
    "branch dashboard": lambda w: dashboard(w.branch),
    "branch segments": lambda w: segments(w.branch),
    "member page": lambda w: person_page(w.member),
    "other member page": lambda w: person_page(w.other_member),
}
ALLOWED = {
    "committee dashboard": {"committee", "superuser"},
    "general dashboard": {"general", "committee", "superuser"},
    "branch dashboard": {"secretary", "general", "committee", "superuser"},
    "branch segments": {"secretary", "general", "committee", "superuser"},
    # The person and those above them (her group leader too); not a colleague, not
    # another branch.
    "member page": {"member", "group_leader", "secretary", "general", "committee", "superuser"},
    "other member page": {"other_secretary", "general", "committee", "superuser"},
}
PERSONAS = (
    "anonymous",
    "unlinked",
    "member",
    "group_leader",
    "other_secretary",
    "secretary",
    "general",
    "committee",
    "superuser",
)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_who_may_open_each_page(filled, login, page):
    url = PAGES[page](filled)
    got = {}
    for persona in PERSONAS:
        got[persona] = login(persona).get(url).status_code
    want = {
        persona: 200 if persona in ALLOWED[page] else (302 if persona == "anonymous" else 404)
        for persona in PERSONAS
    }
    assert got == want


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("committee", lambda w: dashboard(w.committee)),
        ("general", lambda w: dashboard(w.general)),
        ("secretary", lambda w: dashboard(w.branch)),
        ("member", lambda w: person_page(w.member)),
    ],
)
def test_the_index_lands_on_the_widest_organisation_or_ones_own_page(
    filled, login, persona, landing
):
    response = login(persona).get(reverse("overview:index"))
    assert response.status_code == 302
    assert response["Location"] == landing(filled).split("?")[0]


def test_the_index_refuses_a_login_nobody_in_the_register(filled, login):
    assert login("unlinked").get(reverse("overview:index")).status_code == 404


def test_leaders_find_the_dashboard_in_the_navigation(filled, login):
    link = f'href="{reverse("overview:index")}"'
    assert link in login("secretary").get(reverse("home"), follow=True).content.decode()
    assert link not in login("member").get(reverse("home")).content.decode()
    home = login("committee").get(reverse("home")).content.decode()
    assert f'href="{dashboard(filled.committee)}"' in home


# --- Chinese -------------------------------------------------------------------------


def test_it_speaks_chinese_by_default(filled, login, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = login("committee")
    page = text(client.get(dashboard(filled.committee, "2026-Q2")))
    assert "总览看板" in page
    assert "2026年第2季度" in page
    assert "会议合规" in page and "出勤率" in page
    assert "截至" in page  # figures as of ...
    segments_page = text(client.get(segments(filled.committee)))
    assert "前端" in segments_page and "中端" in segments_page
    assert "沿供应链的党建" in segments_page
