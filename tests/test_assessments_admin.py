"""The review desk in the admin: every page opens, the queue shows what waits for
the user and only in their subtree, decisions go through the service, approved
records are read-only, the export opens in Excel, and the queue's queries do not
grow with its rows."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from assessments import services
from assessments.models import AssessmentEvent, AssessmentState, BranchAssessment
from members.models import Post
from tests.admin_helpers import assessments_objects, form_data, make_staff
from tests.assessments_helpers import make_scheme
from tests.factories import make_leader, make_member, make_org

Action = AssessmentEvent.Action
REGISTERED = sorted((m for m in admin.site._registry if m._meta.app_label == "assessments"),
                    key=lambda m: m._meta.label)
CHANGELIST = reverse("admin:assessments_branchassessment_changelist")


def change_url(assessment) -> str:
    return reverse("admin:assessments_branchassessment_change", args=[assessment.pk])


def submitted(branch, scheme, by):
    branch.refresh_from_db()
    assessment = services.assessment_open(scheme=scheme, branch=branch)
    manual = assessment.scores.get(criterion__name="供应及时率")
    services.scores_enter(assessment=assessment,
                          entries={manual.pk: services.ScoreEntry(Decimal(18), "报表")})
    return services.assessment_transition(assessment=assessment, action=Action.SUBMIT, by=by)


@pytest.fixture
def scheme(db):
    return make_scheme()


@pytest.fixture
def queue(world, scheme):
    """Submitted assessments of the branch (under the general branch) and of the
    functional branch (directly under the committee)."""
    return (submitted(world.branch, scheme, world.secretary.user),
            submitted(world.functional, scheme, world.committee_secretary.user))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_it_opens_every_assessments_changelist_and_add_page(login, model):
    client = login("superuser")
    for view in ("changelist", "add"):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_it_opens_every_assessments_change_and_history_page(login, world, model):
    client = login("superuser")
    obj = assessments_objects(world)[model]
    for view in ("change", "history"):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200


def test_it_shows_a_general_branch_only_its_subtree_waiting_for_it(login, world, queue):
    make_staff("general")
    page = login("general").get(CHANGELIST).content.decode()
    assert world.branch.name in page
    assert world.functional.name not in page
    assert login("general").get(change_url(queue[1])).status_code == 302  # out of scope


def test_it_shows_the_committee_its_whole_queue_by_default(login, world, queue):
    make_staff("committee")
    client = login("committee")
    page = client.get(CHANGELIST).content.decode()
    assert world.branch.name in page and world.functional.name in page
    returned = client.get(CHANGELIST, {"queue": "returned"}).content.decode()
    assert world.functional.name not in returned


def test_it_shows_computed_and_entered_scores_side_by_side(login, queue):
    page = login("superuser").get(change_url(queue[0])).content.decode()
    computed = queue[0].scores.get(criterion__name="参会率").computed_evidence
    assert computed and escape(computed) in page
    assert "报表" in page  # the entered evidence


def test_it_returns_then_approves_on_the_change_page(login, world, queue):
    make_staff("committee")
    client = login("committee")
    assessment = queue[1]

    def decide(**fields):
        data = form_data(client.get(change_url(assessment)))
        data.update(fields)
        return client.post(change_url(assessment), data)

    response = decide(decision="return", comment="")
    assert response.status_code == 200  # refused on the form: no reason given
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED

    assert decide(decision="return", comment="请补充证明材料").status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    services.assessment_transition(assessment=assessment, action=Action.SUBMIT,
                                   by=world.committee_secretary.user)
    assert decide(decision="approve").status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED

    page = client.get(change_url(assessment))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]  # final: read-only
    assert "请补充证明材料" in page.content.decode()  # the steps are shown


def test_it_approves_in_bulk_through_the_service(login, world, scheme, queue):
    draft = services.assessment_open(scheme=scheme, branch=world.other_branch)
    client = login("superuser")
    response = client.post(CHANGELIST + "?queue=all", {
        "action": "approve_selected",
        "_selected_action": [a.pk for a in (*queue, draft)]}, follow=True)
    assert response.status_code == 200
    states = dict(BranchAssessment.objects.values_list("pk", "state"))
    assert states[queue[0].pk] == states[queue[1].pk] == AssessmentState.APPROVED
    assert states[draft.pk] == AssessmentState.DRAFT
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and world.other_branch.name in errors[0]


def test_it_exports_the_years_results_with_chinese_headers(login, world, queue):
    response = login("superuser").post(CHANGELIST + "?queue=all", {
        "action": "export_results", "_selected_action": [a.pk for a in queue]})
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:7] == ["序号", "年度", "上级党组织", "党支部", "状态",
                                               "总分", "等级"]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[world.branch.name][2] == world.general.name
    assert rows[world.branch.name][4] == "已提交"


def _add_submitted(world, scheme, count: int, start: int) -> None:
    for n in range(start, start + count):
        world.general.refresh_from_db()
        branch = make_org(f"考核党支部{n}", "branch", world.general)
        make_member(branch)
        secretary = make_leader(branch, Post.Role.SECRETARY, username=f"assess{n}",
                                branch=branch)
        submitted(branch, scheme, secretary.user)


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_it_lists_the_queue_in_the_same_queries_for_ten_times_the_rows(login, world, scheme):
    """Scheme, branch and the branch's parent come with each row (select_related and a
    subquery): no query per row to name the year, the branch or the general branch."""
    make_staff("general")
    client = login("general")
    _add_submitted(world, scheme, 2, 0)
    _count(client)
    few = _count(client)
    _add_submitted(world, scheme, 18, 2)
    assert BranchAssessment.objects.count() == 20
    assert _count(client) == few
