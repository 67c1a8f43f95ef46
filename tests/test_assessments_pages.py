"""The secretary's pages: the year's self-assessment with computed scores and their
evidence, hand-entered scores, submit; scoped; the panels on branch and member pages."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import AssessmentState, BranchAssessment
from tests.assessments_helpers import YEAR, make_scheme


@pytest.fixture
def scheme(world):
    world.branch.refresh_from_db()
    return make_scheme()


def detail(world) -> str:
    return reverse("assessments:detail", args=[world.branch.pk, YEAR])


def test_it_fills_and_submits_the_self_assessment(login, world, scheme):
    client = login("secretary")
    page = client.get(detail(world))
    assert page.status_code == 200
    assessment = BranchAssessment.objects.get(branch=world.branch)
    manual = assessment.scores.get(criterion__name="供应及时率")
    computed = assessment.scores.get(criterion__name="参会率").computed_evidence
    assert computed and escape(computed) in page.content.decode()

    response = client.post(reverse("assessments:scores_enter", args=[world.branch.pk, YEAR]),
                           {f"value-{manual.pk}": "25"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    client.post(reverse("assessments:scores_enter", args=[world.branch.pk, YEAR]),
                {f"value-{manual.pk}": "18", f"evidence-{manual.pk}": "供应报表"})
    client.post(reverse("assessments:submit", args=[world.branch.pk, YEAR]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    assert assessment.scores.get(pk=manual.pk).entered_evidence == "供应报表"


@pytest.mark.parametrize("persona", ["other_secretary", "member"])
def test_it_hides_the_assessment_outside_the_users_scope(login, world, scheme, persona):
    assert login(persona).get(detail(world)).status_code == 404


def test_it_shows_the_grade_red_flag_and_stars_in_the_panels(login, world, scheme):
    import datetime

    services.post_star_award(branch=world.branch, person=world.member,
                             month=datetime.date(YEAR, 10, 1))
    client = login("secretary")
    panel = client.get(reverse("assessments:branch_panel", args=[world.branch.pk]))
    assert world.member.name in panel.content.decode()
    stars = client.get(reverse("assessments:member_stars", args=[world.member.pk]))
    assert "2026-10" in stars.content.decode()
    page = client.get(reverse("branches:organisation_detail", args=[world.branch.pk]))
    assert reverse("assessments:branch_panel", args=[world.branch.pk]) in page.content.decode()


def test_it_serves_a_score_attachment_only_within_scope(login, world, scheme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("secretary")
    client.get(detail(world))
    manual = BranchAssessment.objects.get(branch=world.branch).scores.get(
        criterion__name="供应及时率")
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(reverse("assessments:scores_enter", args=[world.branch.pk, YEAR]),
                {f"value-{manual.pk}": "18", f"evidence-{manual.pk}": "供应报表",
                 f"file-{manual.pk}": SimpleUploadedFile("报表.pdf", pdf,
                                                          content_type="application/pdf")})
    manual.refresh_from_db()
    assert manual.attachment
    url = reverse("assessments:score_attachment", args=[manual.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert login("other_secretary").get(url).status_code == 404
    assert login("member").get(url).status_code == 404
