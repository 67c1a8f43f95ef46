"""The development pages: who sees and who acts (the role matrix), refusals shown on
the page with nothing saved, the pipeline's overdue highlighting, the figures and
panels, and pinned query counts at 1x and 10x data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from development.models import Assessment, Candidacy, Introducer, MentorPair, Stage
from development.services import candidacy_open, development_advance, mentor_pair_create
from members.models import Person
from tests.factories import UserFactory, make_member

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_paths(world, settings):
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


@pytest.fixture
def record(world):
    """An activist of world.branch, with a login ("seeker")."""
    person = make_member(
        world.branch,
        status=Person.Status.MASSES,
        name="求进步",
        birth_date=D(1999, 1, 1),
        user=UserFactory(username="seeker"),
    )
    c = candidacy_open(person=person, branch=world.branch, applied_on=D(2024, 1, 10))
    development_advance(candidacy=c, step="talk", on=D(2024, 1, 20))
    return development_advance(
        candidacy=c,
        step="activist",
        on=D(2024, 2, 1),
        filed_on=D(2024, 2, 2),
        contacts=[world.member],
    )


# persona -> (record page, branch pipeline, figures of the general branch, mentoring, index)
MATRIX = {
    "anonymous": (302, 302, 302, 302, 302),
    "unlinked": (404, 404, 404, 404, 200),
    "seeker": (200, 404, 404, 404, 200),
    "member": (404, 404, 404, 404, 200),
    "group_leader": (404, 404, 404, 404, 302),  # to the group's (empty) pipeline
    "other_secretary": (404, 404, 404, 404, 302),
    "secretary": (200, 200, 404, 200, 302),
    "general": (200, 200, 200, 200, 302),
    "committee": (200, 200, 200, 200, 302),
    "superuser": (200, 200, 200, 200, 302),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_role_matrix(world, login, record, persona):
    client = login(persona)
    urls = (
        f"/development/records/{record.pk}/",
        f"/development/org/{world.branch.pk}/",
        f"/development/org/{world.general.pk}/figures/",
        f"/development/org/{world.branch.pk}/mentoring/",
        "/development/",
    )
    assert tuple(client.get(url).status_code for url in urls) == MATRIX[persona]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("seeker", 404),
        ("member", 404),
        ("other_secretary", 404),
        ("secretary", 302),
        ("general", 302),
        ("committee", 302),
    ],
)
def test_only_the_branch_leaders_and_above_record_a_step(world, login, record, persona, status):
    response = login(persona).post(
        f"/development/records/{record.pk}/assess/",
        {"assess-on": D(2024, 8, 1).isoformat(), "assess-conclusion": "良好"},
    )
    assert response.status_code == status
    assert Assessment.objects.filter(candidacy=record).count() == (status == 302)


def test_the_person_sees_their_own_record_without_the_forms(login, record):
    page = login("seeker").get(f"/development/records/{record.pk}/").content.decode()
    assert "Timeline" in page and 'id="step-' not in page
    page = login("secretary").get(f"/development/records/{record.pk}/").content.decode()
    assert 'id="step-candidate"' in page and 'id="step-assess"' in page


def test_a_skip_on_the_web_says_why_and_saves_nothing(world, login, record):
    client = login("secretary")
    response = client.post(
        f"/development/records/{record.pk}/admit/", {"admit-on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "the branch general meeting admits a development candidate" in response.content.decode()
    record.refresh_from_db()
    assert record.stage == Stage.ACTIVIST and record.admitted_on is None


def test_too_early_on_the_web_names_the_earliest_date(world, login, record):
    response = login("secretary").post(
        f"/development/records/{record.pk}/candidate/", {"candidate-on": "2024-12-01"}
    )
    assert "the earliest date is" in response.content.decode()
    assert Person.objects.get(name="求进步").status == Person.Status.ACTIVIST


def test_a_third_introducer_on_the_web_is_refused(world, login, record):
    Candidacy.objects.filter(pk=record.pk).update(stage=Stage.CANDIDATE, candidate_on=D(2025, 2, 1))
    third = make_member(world.branch, name="第三人")
    client = login("secretary")
    client.post(
        f"/development/records/{record.pk}/introducers/",
        {
            "introducers-people": [world.member.pk, world.secretary.pk],
            "introducers-on": "2025-03-01",
        },
    )
    response = client.post(
        f"/development/records/{record.pk}/introducers/",
        {"introducers-people": [third.pk], "introducers-on": "2025-03-02"},
    )
    assert "A further introducer is refused" in response.content.decode()
    assert list(
        Introducer.objects.filter(candidacy=record)
        .values_list("person__name", flat=True)
        .order_by("person__name")
    ) == sorted([world.member.name, world.secretary.name])


def test_the_secretary_records_an_application_and_an_under_age_one_is_refused(world, login):
    adult = make_member(
        world.branch, status=Person.Status.MASSES, name="成年人", birth_date=D(1990, 1, 1)
    )
    minor = make_member(
        world.branch,
        status=Person.Status.MASSES,
        name="未成年",
        birth_date=today().replace(year=today().year - 17),
    )
    client = login("secretary")
    url = f"/development/org/{world.branch.pk}/open/"
    response = client.post(
        url, {"open-person": minor.pk, "open-applied_on": today().isoformat()}, follow=True
    )
    assert "an applicant must be at least 18" in response.content.decode()
    assert not Candidacy.objects.filter(person=minor).exists()
    response = client.post(url, {"open-person": adult.pk, "open-applied_on": today().isoformat()})
    assert response.status_code == 302
    assert Person.objects.get(pk=adult.pk).status == Person.Status.APPLICANT
    # Another branch's secretary cannot.
    other = login("other_secretary").post(f"/development/org/{world.branch.pk}/open/", {})
    assert other.status_code == 404


def test_the_pipeline_highlights_an_overdue_talk(world, login):
    person = make_member(
        world.branch, status=Person.Status.MASSES, name="逾期者", birth_date=D(1990, 1, 1)
    )
    candidacy_open(
        person=person, branch=world.branch, applied_on=today() - datetime.timedelta(days=60)
    )
    page = login("secretary").get(f"/development/org/{world.branch.pk}/").content.decode()
    assert 'class="table-danger"' in page and "逾期者" in page and "Overdue" in page


def test_the_figures_count_admissions_per_year_over_the_subtree(world, login):
    for n, (branch, year) in enumerate(
        [
            (world.branch, 2024),
            (world.other_branch, 2024),
            (world.other_branch, 2025),
            (world.functional, 2025),
        ]
    ):
        person = make_member(branch, status=Person.Status.PROBATIONARY, name=f"新党员{n}")
        Candidacy.objects.create(
            person=person,
            branch=branch,
            stage=Stage.PROBATIONARY,
            applied_on=D(year - 2, 1, 1),
            admitted_on=D(year, 5, 1),
        )
    page = login("general").get(f"/development/org/{world.general.pk}/figures/")
    rows = page.context["per_year"]
    assert rows == [(2024, 2), (2025, 1)]  # 综合管理党支部 is not under the general branch
    page = login("committee").get(f"/development/org/{world.committee.pk}/figures/")
    assert page.context["per_year"] == [(2024, 2), (2025, 2)] and page.context["total"] == 4


def test_the_panels(world, login, record):
    page = login("secretary").get(f"/development/panel/org/{world.branch.pk}/")
    assert page.status_code == 200 and "Member development" in page.content.decode()
    assert (
        login("other_secretary").get(f"/development/panel/org/{world.branch.pk}/").status_code
        == 404
    )
    page = login("seeker").get(f"/development/panel/person/{record.person_id}/")
    assert "Activist" in page.content.decode()
    assert login("committee").get("/development/panel/overview/").status_code == 200
    assert login("member").get("/development/panel/overview/").status_code == 404
    # The host pages load them by htmx.
    host = login("secretary").get(f"/orgs/{world.branch.pk}/").content.decode()
    assert f"/development/panel/org/{world.branch.pk}/" in host


# --- Mentoring ---------------------------------------------------------------------------


def test_mentor_pairs_are_created_and_closed_with_clear_refusals(world, login):
    client = login("secretary")
    url = f"/development/org/{world.branch.pk}/mentoring/"
    data = {
        "pair-kind": "member_staff",
        "pair-mentor": world.member.pk,
        "pair-mentee": world.masses.pk,
        "pair-goals": "带教合同结算",
        "pair-started_on": today().isoformat(),
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "already an active mentor pair" in again.content.decode()
    itself = client.post(url, {**data, "pair-mentee": world.member.pk})
    assert "cannot mentor themself" in itself.content.decode()
    assert MentorPair.objects.count() == 1
    pair = MentorPair.objects.get()
    assert (
        login("other_secretary")
        .post(
            f"/development/mentoring/{pair.pk}/close/",
            {"close-ended_on": today().isoformat(), "close-outcome": "x"},
        )
        .status_code
        == 404
    )
    client.post(
        f"/development/mentoring/{pair.pk}/close/",
        {"close-ended_on": today().isoformat(), "close-outcome": "已递交入党申请书"},
    )
    pair.refresh_from_db()
    assert pair.ended_on == today() and pair.outcome == "已递交入党申请书"
    page = client.get(url).content.decode()
    assert "已递交入党申请书" in page


def test_an_expert_mentors_a_member_and_a_member_mentors_a_non_member(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="an expert mentors a member"):
        mentor_pair_create(
            branch=world.branch,
            kind="expert_member",
            mentor=world.member,
            mentee=world.masses,
            goals="g",
            started_on=today(),
        )
    with pytest.raises(ValidationError, match="already a party member"):
        mentor_pair_create(
            branch=world.branch,
            kind="member_staff",
            mentor=world.member,
            mentee=world.secretary,
            goals="g",
            started_on=today(),
        )
    assert not MentorPair.objects.exists()


# --- Query counts -----------------------------------------------------------------------


def grow(world, n: int) -> None:
    """n more records in every open stage, with assessments, contacts and introducers,
    and n more mentor pairs."""
    stages = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY]
    for i in range(n):
        person = make_member(world.branch, status=Person.Status.MASSES, birth_date=D(1995, 1, 1))
        stage = stages[i % 4]
        c = Candidacy.objects.create(
            person=person,
            branch=world.branch,
            stage=stage,
            applied_on=D(2024, 1, 1),
            talked_on=D(2024, 1, 5),
            activist_on=D(2024, 2, 1),
            candidate_on=D(2025, 2, 1) if stage in stages[2:] else None,
            admitted_on=D(2025, 6, 1) if stage == Stage.PROBATIONARY else None,
            probation_ends_on=D(2026, 6, 1) if stage == Stage.PROBATIONARY else None,
        )
        Assessment.objects.create(candidacy=c, assessed_on=D(2024, 8, 1), conclusion="好")
        Introducer.objects.create(candidacy=c, person=world.member, named_on=D(2025, 3, 1))
        MentorPair.objects.create(
            branch=world.branch,
            kind="member_staff",
            mentor=world.member,
            mentee=person,
            goals="g",
            started_on=D(2026, 1, 1),
        )


PAGES = {
    # Every page pays 7 (savepoints, session, user, scope, the bell) and 1 for the
    # organisation, plus its own reads; the htmx panels render no bell (6 + 1).
    # Pipeline: the rules, the records with their progress annotated in one query,
    # the people to open a record for (in the form).
    "pipeline": ("secretary", lambda w: f"/development/org/{w.branch.pk}/", 11),
    # Figures: one per-year aggregate and one per-stage aggregate.
    "figures": ("committee", lambda w: f"/development/org/{w.committee.pk}/figures/", 10),
    # Mentoring: the page's count and rows, the people in the form's two choices.
    "mentoring": ("secretary", lambda w: f"/development/org/{w.branch.pk}/mentoring/", 12),
    # Organisation panel: the rules and the annotated records.
    "org_panel": ("general", lambda w: f"/development/panel/org/{w.general.pk}/", 9),
    # Overview panel: the per-year aggregate and the open count.
    "overview_panel": ("committee", lambda w: "/development/panel/overview/", 8),
}


@pytest.mark.parametrize("page_name", list(PAGES))
def test_pages_keep_their_query_count_at_tenfold_data(world, login, page_name):
    """Prevents a query per record (person, branch, assessments, introducers, contacts),
    per pair (mentor, mentee) and per year or stage in the figures."""
    persona, url_of, pinned = PAGES[page_name]
    grow(world, 4)
    client = login(persona)
    counts = []
    for extra in (0, 36):
        grow(world, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_of(world)).status_code == 200
        counts.append(len(queries))
    assert counts == [pinned, pinned], counts


def test_the_pipeline_exports_with_chinese_headers_and_the_pages_rows(world, login, record):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login("secretary").get(f"/development/org/{world.branch.pk}/pipeline.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert sheet.cell(row=2, column=2).value == gettext("Name")
        assert sheet.cell(row=2, column=9).value == gettext("Next step")
    assert sheet.cell(row=3, column=2).value == "求进步"
    assert (
        login("other_secretary")
        .get(f"/development/org/{world.branch.pk}/pipeline.xlsx")
        .status_code
        == 404
    )


def test_the_pipeline_cites_the_rules_and_their_source(world, login):
    page = login("secretary").get(f"/development/org/{world.branch.pk}/").content.decode()
    assert "Minimum time as an activist: <strong>12 months</strong>" in page
    assert "《中国共产党发展党员工作细则》" in page
