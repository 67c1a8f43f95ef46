"""Liaison pages: the issue's story end to end, the role matrix, exports, figures on
known data, and pinned query counts at one and ten times the data."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from liaison.deadlines import problem_escalations_run
from liaison.models import Escalation, Opinion, Problem, ProblemCategory, Visit
from liaison.selectors import figures
from liaison.services import (
    Action,
    Feedback,
    VisitData,
    problem_register,
    problem_transition,
    visit_file,
)
from members.models import Person
from tests.factories import make_member
from tests.test_liaison_ledger import make_problem


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()
    # Messages are matched in English, the source language, whatever the catalogue says.
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def test_the_issue_story_from_visit_to_write_off(world, login):
    """A member files a visit with an opinion; the secretary registers it with a
    deadline; once overdue the general branch sees it escalated; after feedback it is
    written off and the figures move."""
    member = login("member")
    response = member.post("/liaison/visits/new/", {
        "visited": world.masses.pk, "visited_on": today().isoformat(), "method": "one_to_one",
        "discussion": "谈仓库收货", "opinions": "收货窗口太少，排队时间长",
    })
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    secretary = login("secretary")
    page = secretary.get(f"/liaison/org/{world.branch.pk}/opinions/")
    assert "收货窗口太少" in page.content.decode()
    response = secretary.post(f"/liaison/opinions/{opinion.pk}/register/", {
        "title": "收货窗口太少", "category": ProblemCategory.objects.get(name="物资管理").pk,
        "organisation": world.branch.pk, "owner": world.member.pk,
        "deadline": today().isoformat(),
    })
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == f"/liaison/problems/{problem.pk}/"
    before, _rows = figures(world.committee, start=today(), end=today())
    assert (before.opinions, before.registered, before.written_off) == (1, 1, 0)

    problem_escalations_run(now=timezone.now() + datetime.timedelta(days=2))
    general = login("general")
    assert "收货窗口太少" in general.get(f"/liaison/panel/org/{world.general.pk}/").content.decode()
    assert "收货窗口太少" in general.get(f"/liaison/problems/{problem.pk}/").content.decode()
    assert Escalation.objects.get().organisation == world.general

    for action, data in (("start", {}), ("resolve", {"note": "增设两个收货窗口"}),
                         ("give_feedback", {"feedback_method": "phone", "satisfied": "yes"})):
        assert member.post(f"/liaison/problems/{problem.pk}/{action}/", data).status_code == 302
    # The member may not write off; the secretary may.
    member.post(f"/liaison/problems/{problem.pk}/write_off/")
    problem.refresh_from_db()
    assert problem.state == "feedback_given"
    secretary.post(f"/liaison/problems/{problem.pk}/write_off/")
    problem.refresh_from_db()
    assert problem.state == "written_off"
    after, _rows = figures(world.committee, start=today(), end=today())
    assert (after.written_off, after.resolved) == (1, 1)


def test_an_illegal_move_on_the_web_says_why(world, login):
    problem = make_problem(world, now=timezone.now(), deadline=today())
    response = login("secretary").post(f"/liaison/problems/{problem.pk}/write_off/",
                                       follow=True, headers={"accept-language": "en"})
    assert "written off only after" in response.content.decode()
    problem.refresh_from_db()
    assert problem.state == "registered" and problem.events.count() == 1


def test_the_problem_page_offers_only_the_moves_allowed(world, login):
    problem = make_problem(world, now=timezone.now(), deadline=today())
    for persona in ("member", "secretary"):
        content = login(persona).get(f"/liaison/problems/{problem.pk}/").content.decode()
        assert f"/liaison/problems/{problem.pk}/start/" in content
        assert f"/liaison/problems/{problem.pk}/write_off/" not in content


# --- The role matrix ---------------------------------------------------------------------

# persona -> may see (problem page, branch ledger, own-visit edit, branch visit review)
MATRIX = {
    "anonymous": (302, 302, 302, 302),
    "unlinked": (404, 404, 404, 404),
    "member": (200, 404, 200, 404),
    "other_member": (404, 404, 404, 404),
    "group_leader": (404, 404, 404, 404),
    "other_secretary": (404, 404, 404, 404),
    "secretary": (200, 200, 404, 200),
    "general": (200, 200, 404, 200),
    "committee": (200, 200, 404, 200),
    "superuser": (200, 200, 404, 200),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_role_matrix(world, login, persona):
    problem = make_problem(world, now=timezone.now(), deadline=today())
    visit = visit_file(visitor=world.member, data=VisitData(
        visited=world.masses, visited_on=today(), method="phone", discussion="问候"))
    client = login(persona)
    urls = (f"/liaison/problems/{problem.pk}/", f"/liaison/org/{world.branch.pk}/problems/",
            f"/liaison/visits/{visit.pk}/edit/", f"/liaison/org/{world.branch.pk}/visits/")
    assert tuple(client.get(url).status_code for url in urls) == MATRIX[persona]


@pytest.mark.parametrize(("persona", "status"), [
    ("member", 404), ("other_secretary", 404), ("secretary", 302), ("general", 302)])
def test_only_leaders_of_the_branch_review_visits(world, login, persona, status):
    visit = visit_file(visitor=world.member, data=VisitData(
        visited=world.masses, visited_on=today(), method="phone", discussion="问候"))
    assert login(persona).post(f"/liaison/visits/{visit.pk}/review/").status_code == status
    visit.refresh_from_db()
    assert visit.is_reviewed == (status == 302)


def test_a_member_sees_only_their_own_visits_and_problems(world, login):
    mine = make_problem(world, now=timezone.now(), deadline=today(), title="我的问题")
    make_problem(world, now=timezone.now(), deadline=today(), title="别人的问题",
                 owner=world.secretary)
    content = login("member").get("/liaison/problems/mine/").content.decode()
    assert mine.title in content and "别人的问题" not in content


def test_a_visit_outside_reach_is_refused_on_the_web(world, login):
    outsider = make_member(world.other_branch, status=Person.Status.MASSES, name="外人")
    response = login("member").post("/liaison/visits/new/", {
        "visited": outsider.pk, "visited_on": today().isoformat(), "method": "phone",
        "discussion": "x", "opinions": "y"})
    assert response.status_code == 200  # the choice is not offered at all
    assert not Visit.objects.exists() and not Opinion.objects.exists()


# --- Exports ----------------------------------------------------------------------------


def test_the_exports_carry_chinese_headers_and_the_filters(world, login):
    visit_file(visitor=world.member, opinions=["食堂"], data=VisitData(
        visited=world.masses, visited_on=today(), method="forum", discussion="座谈"))
    make_problem(world, now=timezone.now(), deadline=today(), title="甲问题")
    make_problem(world, now=timezone.now(), deadline=today(), title="乙问题")
    client = login("secretary")
    response = client.get(f"/liaison/org/{world.branch.pk}/visits.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("党员走访谈心记录跟踪表")
    assert [c.value for c in sheet[2]][:5] == ["序号", "走访日期", "党员", "走访对象", "走访方式"]
    assert [c.value for c in sheet[3]][4] == "座谈会" and sheet["G3"].value == "食堂"
    response = client.get(f"/liaison/org/{world.branch.pk}/problems.xlsx?q=甲")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["C2"].value == "问题" and sheet.max_row == 3 and sheet["C3"].value == "甲问题"
    assert login("other_secretary").get(
        f"/liaison/org/{world.branch.pk}/problems.xlsx").status_code == 404


# --- Figures on known data --------------------------------------------------------------


def test_the_figures_on_known_data(world):
    """Two branches under the general branch: opinions, problems in every state, one
    on time, one late, one still open past its deadline."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(2026, 3, 1, 9, tzinfo=tz)
    day = datetime.timedelta(days=1)
    for i in range(3):
        visit_file(visitor=world.member, today=start.date(), opinions=[f"意见{i}"],
                   data=VisitData(visited=world.masses, visited_on=start.date(),
                                  method="phone", discussion="x"))
    cat = ProblemCategory.objects.get(name="其他")

    def problem(org, by, deadline_days, title):
        return problem_register(title=title, category=cat, organisation=org,
                                owner=world.member, raised_by=world.masses,
                                deadline=start.date() + deadline_days * day, by=by, now=start)

    def run(p, actions, at, satisfied=True):
        for action in actions:
            p = problem_transition(problem=p, action=action, by=world.secretary.user,
                                   note="n", now=at,
                                   feedback=Feedback(method="phone", satisfied=satisfied))
        return p

    full = [Action.START, Action.RESOLVE, Action.GIVE_FEEDBACK, Action.WRITE_OFF]
    run(problem(world.branch, world.secretary.user, 10, "按期销号"), full, start + 4 * day)
    run(problem(world.branch, world.secretary.user, 2, "逾期销号"), full, start + 6 * day)
    run(problem(world.branch, world.secretary.user, 10, "已解决"),
        [Action.START, Action.RESOLVE], start + 1 * day)
    problem(world.other_branch, world.other_secretary.user, 5, "逾期未办")
    problem(world.other_branch, world.other_secretary.user, 50, "未到期")
    # Outside the period and outside the subtree: not counted.
    problem(world.functional, world.committee_secretary.user, 5, "别处")

    total, rows = figures(world.general, start=datetime.date(2026, 3, 1),
                          end=datetime.date(2026, 3, 31), today=datetime.date(2026, 4, 1))
    assert (total.opinions, total.registered, total.resolved, total.written_off,
            total.on_time, total.overdue) == (3, 5, 3, 2, 2, 2)
    assert total.avg_days_to_write_off == 5.0  # (4 + 6) / 2
    by_name = {row.organisation.name: row for row in rows}
    assert (by_name["采购合同党支部"].registered, by_name["采购合同党支部"].opinions) == (3, 3)
    assert (by_name["仓储配送党支部"].registered, by_name["仓储配送党支部"].overdue) == (2, 1)
    committee_total, _ = figures(world.committee, start=datetime.date(2026, 3, 1),
                                 end=datetime.date(2026, 3, 31))
    assert committee_total.registered == 6


# --- Query counts -----------------------------------------------------------------------


def grow(world, n: int) -> None:
    """n more problems in every state, with opinions, visits and escalations."""
    now = timezone.now()
    for i in range(n):
        visit = visit_file(visitor=world.member, opinions=[f"意见{i}"], data=VisitData(
            visited=world.masses, visited_on=today(), method="phone", discussion="x"))
        p = problem_register(
            title=f"问题{i}", category=ProblemCategory.objects.get(name="物资管理"),
            organisation=world.branch, owner=world.member, deadline=today(),
            opinion=visit.opinions.get(), by=world.secretary.user, now=now)
        for action in [Action.START, Action.RESOLVE, Action.GIVE_FEEDBACK][: i % 4]:
            p = problem_transition(problem=p, action=action, by=world.secretary.user,
                                   note="n", feedback=Feedback(method="phone", satisfied=True))
    problem_escalations_run(now=now + datetime.timedelta(days=30))


PAGES = {
    # Every page pays 7 (savepoints, session, user, scope, the bell) plus its own reads;
    # the figures pay 6: opinions and problems for the total and per unit below, and
    # the units themselves.
    "ledger": ("secretary", lambda w, p: f"/liaison/org/{w.branch.pk}/problems/", 11),
    "ledger_filtered": ("general",
                        lambda w, p: f"/liaison/org/{w.general.pk}/problems/?overdue=1&q=问题",
                        10),
    # The problem, the user's secretary posts (who may write off), steps, escalations.
    "problem": ("secretary", lambda w, p: f"/liaison/problems/{p.pk}/", 11),
    "figures": ("committee", lambda w, p: f"/liaison/org/{w.committee.pk}/figures/", 13),
    "visits": ("secretary", lambda w, p: f"/liaison/org/{w.branch.pk}/visits/", 11),
    "org_panel": ("general", lambda w, p: f"/liaison/panel/org/{w.general.pk}/", 10),
    "member_panel": ("member", lambda w, p: "/liaison/panel/mine/", 9),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_keep_their_query_count_at_tenfold_data(world, login, page):
    """Prevents a query per problem (category, owner, organisation), per event or
    escalation, per visit's opinions, and per organisation in the figures."""
    persona, url_of, pinned = PAGES[page]
    grow(world, 3)
    problem = Problem.objects.order_by("pk").first()
    client = login(persona)
    counts = []
    for extra in (0, 27):
        grow(world, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_of(world, problem)).status_code == 200
        counts.append(len(queries))
    assert counts == [pinned, pinned], counts
