"""Study pages: the walk-through, answers never in a member's HTML, a double submit on
the web, scoping (404 outside), the role matrix, forms, export and panels."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from study.models import Assignment, Choice, CreditEntry, Material, QuizAttempt
from study.services import material_mark_read
from tests.test_study_helpers import answers, make_material, make_quiz, pdf

LOGIN = "/login/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def branch_only(world):
    """A material assigned only to 采购合同党支部 (the member's branch)."""
    return make_material(world.branch, title="支部自学资料", due_on=timezone.localdate())


@pytest.fixture
def quizzed(world):
    material = make_material(world.committee, title="全体学习资料")
    make_quiz(material)
    return material


def form_answers(attempt) -> dict[str, list[str]]:
    return {
        f"q{pk}": [str(c) for c in chosen]
        for pk, chosen in ((int(k), v) for k, v in answers(attempt).items())
    }


def test_the_walk_through_read_pass_and_see_the_credits_in_the_ranking(world, login, quizzed):
    client = login("member")
    index = client.get("/study/").content.decode()
    assert "全体学习资料" in index and "Unread" in index
    assert client.post(f"/study/materials/{quizzed.pk}/read/").status_code == 302
    response = client.post(f"/study/materials/{quizzed.pk}/quiz/")
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(person=world.member)
    assert response.url == reverse("study:attempt", args=[attempt.token])
    response = client.post(response.url, form_answers(attempt), follow=True)
    assert "Passed with 100%" in response.content.decode()
    ranking = client.get("/study/ranking/").content.decode()
    assert world.member.name in ranking
    assert re.search(r"My position: 1, with 4\.0 credits", ranking)
    assert "4.0" in client.get("/study/credits/").content.decode()


def test_a_member_never_sees_which_answers_are_right(world, login, quizzed):
    material_mark_read(person=world.member, material=quizzed)
    client = login("member")
    response = client.post(f"/study/materials/{quizzed.pk}/quiz/", follow=True)
    html = response.content.decode()
    assert "题目1选项0" in html  # the choices are shown...
    assert "is_correct" not in html and "correct" not in html.lower().replace(
        "incorrect", ""
    )  # ...but nothing says which is right
    attempt = QuizAttempt.objects.get(person=world.member)
    # The same page after submitting: right or wrong per question and the score only.
    result = client.post(
        f"/study/quiz/{attempt.token}/", form_answers(attempt), follow=True
    ).content.decode()
    assert "100%" in result and "Right" in result
    assert "题目1选项0" not in result
    right_ids = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    for pk in right_ids:
        assert f'id="c{pk}"' not in result


def test_the_same_quiz_form_posted_twice_says_already_submitted(world, login, quizzed):
    material_mark_read(person=world.member, material=quizzed)
    client = login("member")
    client.post(f"/study/materials/{quizzed.pk}/quiz/")
    attempt = QuizAttempt.objects.get(person=world.member)
    data = form_answers(attempt)
    client.post(f"/study/quiz/{attempt.token}/", data)
    response = client.post(f"/study/quiz/{attempt.token}/", data, follow=True)
    assert "already submitted" in response.content.decode()
    assert QuizAttempt.objects.count() == 1
    assert CreditEntry.objects.filter(rule__event="quiz_passed").count() == 1


def test_an_incomplete_quiz_shows_why_and_keeps_the_choices(world, login, quizzed):
    material_mark_read(person=world.member, material=quizzed)
    client = login("member")
    client.post(f"/study/materials/{quizzed.pk}/quiz/")
    attempt = QuizAttempt.objects.get(person=world.member)
    data = form_answers(attempt)
    first = attempt.question_ids[0]
    data.pop(f"q{first}")
    html = client.post(f"/study/quiz/{attempt.token}/", data).content.decode()
    assert "Answer every question before submitting (1 left)" in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    second_choice = data[f"q{attempt.question_ids[1]}"][0]
    assert f'value="{second_choice}" id="c{second_choice}" checked' in html


def test_another_members_quiz_token_is_404(world, login, quizzed):
    material_mark_read(person=world.member, material=quizzed)
    login("member").post(f"/study/materials/{quizzed.pk}/quiz/")
    attempt = QuizAttempt.objects.get(person=world.member)
    assert login("other_member").get(f"/study/quiz/{attempt.token}/").status_code == 404


def test_the_quiz_needs_the_material_read_first_on_the_web(world, login, quizzed):
    response = login("member").post(f"/study/materials/{quizzed.pk}/quiz/", follow=True)
    assert "Mark the material as read before taking its quiz" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_marking_read_twice_is_harmless(world, login, branch_only):
    client = login("member")
    client.post(f"/study/materials/{branch_only.pk}/read/")
    response = client.post(f"/study/materials/{branch_only.pk}/read/", follow=True)
    assert "already" in response.content.decode()
    assert CreditEntry.objects.count() == 1


# --- Scoping and the role matrix --------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("unlinked", 404),
        ("member", 200),
        ("other_member", 404),
        ("other_secretary", 404),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
    ],
)
def test_a_material_assigned_to_a_branch_is_seen_only_there_and_above(
    world, login, branch_only, persona, status
):
    response = login(persona).get(f"/study/materials/{branch_only.pk}/")
    assert response.status_code == status
    if persona == "anonymous":
        assert LOGIN in response.url


def test_a_material_assigned_above_reaches_the_whole_subtree(world, login):
    material = make_material(world.committee, title="党委统一学习")
    for persona in ("member", "other_member", "group_leader"):
        assert login(persona).get(f"/study/materials/{material.pk}/").status_code == 200
    assert "党委统一学习" in login("other_member").get("/study/").content.decode()


def test_reading_a_material_out_of_reach_is_404(world, login, branch_only):
    assert login("other_member").post(f"/study/materials/{branch_only.pk}/read/").status_code == 404
    assert not CreditEntry.objects.exists()


PAGES = {
    "index": lambda w: "/study/",
    "unread": lambda w: "/study/unread/",
    "credits": lambda w: "/study/credits/",
    "ranking": lambda w: "/study/ranking/",
    "ranking_branch": lambda w: f"/study/ranking/?org={w.branch.pk}",
    "manage": lambda w: "/study/manage/",
    "create": lambda w: "/study/manage/new/",
    "completion": lambda w: f"/study/orgs/{w.branch.pk}/completion/",
    "export": lambda w: f"/study/orgs/{w.branch.pk}/completion/export/",
}
MATRIX = {
    # page: (unlinked, member, other_secretary, secretary, general, committee)
    "index": (200, 200, 200, 200, 200, 200),
    "unread": (200, 200, 200, 200, 200, 200),
    "credits": (200, 200, 200, 200, 200, 200),
    "ranking": (200, 200, 200, 200, 200, 200),
    "ranking_branch": (404, 200, 404, 200, 200, 200),
    "manage": (404, 404, 200, 200, 200, 200),
    "create": (404, 404, 200, 200, 200, 200),
    "completion": (404, 404, 404, 200, 200, 200),
    "export": (404, 404, 404, 200, 200, 200),
}
PERSONAS = ("unlinked", "member", "other_secretary", "secretary", "general", "committee")


@pytest.mark.parametrize("page_name", PAGES)
def test_the_role_matrix(world, login, branch_only, page_name):
    url = PAGES[page_name](world)
    anonymous = login("anonymous").get(url)
    assert anonymous.status_code == 302 and LOGIN in anonymous.url
    got = tuple(login(p).get(url).status_code for p in PERSONAS)
    assert got == MATRIX[page_name]


def test_a_member_sees_only_their_own_credits(world, login, branch_only):
    material_mark_read(person=world.secretary, material=branch_only)
    html = login("member").get("/study/credits/").content.decode()
    assert "支部自学资料" not in html
    assert "支部自学资料" in login("secretary").get("/study/credits/").content.decode()


def test_a_member_of_another_branch_cannot_see_the_branch_ranking(world, login):
    assert login("other_member").get(f"/study/ranking/?org={world.branch.pk}").status_code == 404


def test_the_ranking_shows_the_names_within_the_branch(world, login, branch_only):
    material_mark_read(person=world.secretary, material=branch_only)
    html = login("member").get("/study/ranking/").content.decode()
    assert world.secretary.name in html and world.member.name in html
    assert world.other_member.name not in html


# --- Leaders' forms, completion and export ---------------------------------------------


def test_a_secretary_publishes_and_assigns_a_document(world, login):
    client = login("secretary")
    response = client.post(
        "/study/manage/new/",
        {
            "organisation": world.branch.pk,
            "title": "支部学习文件",
            "kind": "document",
            "published_on": "2026-05-01",
            "due_on": "2026-05-31",
            "body": "",
            "url": "",
            "file": pdf(),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(title="支部学习文件")
    assert Assignment.objects.get(material=material).organisation == world.branch
    download = login("member").get(f"/study/materials/{material.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert login("other_member").get(f"/study/materials/{material.pk}/file/").status_code == 404


def test_a_fake_pdf_is_refused_on_the_form_and_nothing_is_saved(world, login):
    response = login("secretary").post(
        "/study/manage/new/",
        {
            "organisation": world.branch.pk,
            "title": "假文件",
            "kind": "document",
            "published_on": "2026-05-01",
            "due_on": "2026-05-31",
            "file": pdf(content=b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "does not contain what its name says" in response.content.decode()
    assert not Material.objects.exists() and not Assignment.objects.exists()


def test_a_refused_assignment_leaves_no_material_behind(world, login):
    response = login("secretary").post(
        "/study/manage/new/",
        {
            "organisation": world.branch.pk,
            "title": "专题",
            "kind": "topic",
            "published_on": "2026-05-10",
            "due_on": "2026-05-01",
        },
    )
    assert "cannot be before the material is published" in response.content.decode()
    assert not Material.objects.exists()


def test_a_secretary_cannot_publish_for_another_branch(world, login):
    response = login("other_secretary").post(
        "/study/manage/new/",
        {
            "organisation": world.branch.pk,
            "title": "越权",
            "kind": "topic",
            "published_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert not Material.objects.exists()


def test_assigning_again_moves_the_due_date(world, login):
    material = make_material(world.committee, title="党委资料", assign_to=False)
    client = login("committee")
    url = f"/study/materials/{material.pk}/assign/"
    client.post(url, {"organisation": world.general.pk, "due_on": "2026-05-20"})
    response = client.post(
        url, {"organisation": world.general.pk, "due_on": "2026-05-25"}, follow=True
    )
    assert "due date was changed" in response.content.decode()
    assert Assignment.objects.get().due_on == datetime.date(2026, 5, 25)


def test_completion_lists_who_has_not_read_and_exports_it(world, login, settings):
    material = make_material(world.committee, title="全体资料", due_on=timezone.localdate())
    material_mark_read(person=world.secretary, material=material)
    client = login("general")
    html = client.get(f"/study/orgs/{world.general.pk}/completion/").content.decode()
    assert world.member.name in html and world.other_member.name in html
    assert world.secretary.name not in html  # has read it
    response = client.get(f"/study/orgs/{world.general.pk}/completion/export/")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    names = {row[1] for row in rows}
    assert world.member.name in names and world.secretary.name not in names
    everyone = client.get(f"/study/orgs/{world.general.pk}/completion/export/?status=all")
    names = {
        row[1]
        for row in load_workbook(BytesIO(everyone.content)).active.iter_rows(
            min_row=3, values_only=True
        )
    }
    assert world.secretary.name in names


def test_the_export_has_chinese_headers(world, login, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    make_material(world.committee, title="全体资料", due_on=timezone.localdate())
    response = login("secretary").get(
        f"/study/orgs/{world.branch.pk}/completion/export/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    headers = next(
        load_workbook(BytesIO(response.content)).active.iter_rows(
            min_row=2, max_row=2, values_only=True
        )
    )
    assert headers[1] == "姓名"


# --- Panels ---------------------------------------------------------------------------


def test_the_panels_load_by_htmx_and_show_the_numbers(world, login):
    current = make_material(world.branch, title="支部自学资料", due_on=timezone.localdate())
    material_mark_read(person=world.secretary, material=current)
    member = login("member")
    home = member.get("/").content.decode()
    assert reverse("study:person_panel", args=[world.member.pk]) in home
    panel = member.get(reverse("study:person_panel", args=[world.member.pk])).content.decode()
    assert "Unread materials" in panel
    assert (
        member.get(reverse("study:person_panel", args=[world.other_member.pk])).status_code == 404
    )
    org_panel = (
        login("secretary")
        .get(reverse("study:organisation_panel", args=[world.branch.pk]))
        .content.decode()
    )
    assert "支部自学资料" in org_panel and "1 / 3" in org_panel  # 3 party members, 1 read
    overview = login("committee").get(reverse("study:overview_panel")).content.decode()
    assert world.secretary.name in overview
    assert login("member").get(reverse("study:overview_panel")).status_code == 404
