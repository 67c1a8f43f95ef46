"""Journey 3: a committee reviewer returns a branch's submitted standards assessment
in the admin with a reason, the branch secretary resubmits it on the portal, the
reviewer approves it; the state is checked in the admin and on the portal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from assessments import services
from assessments.models import AssessmentEvent, AssessmentState, BranchAssessment
from tests.admin_helpers import make_staff
from tests.assessments_helpers import make_scheme
from tests.browser.conftest import log_in, zh, zh_label

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "供应及时率缺少佐证材料，请补充月度报表后重新提交。"


@pytest.fixture
def submitted(world):
    """This year's assessment of the branch, scored and submitted by its secretary."""
    make_staff("committee")
    world.branch.refresh_from_db()  # its path as stored, once the tree is built
    scheme = make_scheme(timezone.localdate().year)
    # The computed evidence is stored as text in the language active when computed: the
    # portal's, whatever an earlier test left active.
    with translation.override("zh-hans"):
        assessment = services.assessment_open(scheme=scheme, branch=world.branch)
        manual = assessment.scores.get(criterion__name="供应及时率")
        entry = services.ScoreEntry(Decimal(18), "月度报表")
        services.scores_enter(assessment=assessment, entries={manual.pk: entry})
        return services.assessment_transition(
            assessment=assessment, action=AssessmentEvent.Action.SUBMIT, by=world.secretary.user
        )


def open_in_admin(tab, world, queue: str) -> None:
    """From the review desk's changelist: the queue, then the branch's assessment."""
    tab.locator("#changelist-filter").get_by_role("link", name=zh(queue), exact=True).click()
    tab.locator("#result_list").get_by_role("link", name=world.branch.name).click()


def state(value) -> str:
    return zh_label(AssessmentState(value).label)


def test_committee_returns_then_approves_an_assessment(
    world, live_server, page, new_context, submitted, shots
):
    reviewer = page
    log_in(reviewer, live_server, "committee")
    reviewer.locator("nav").get_by_role("link", name=zh("Admin"), exact=True).click()
    shots(reviewer, "admin index")
    reviewer.get_by_role(
        "link", name=zh_label(BranchAssessment._meta.verbose_name_plural), exact=True
    ).click()
    row = reviewer.locator("#result_list tr", has_text=world.branch.name)
    expect(row).to_contain_text(state(AssessmentState.SUBMITTED))
    shots(reviewer, "review queue")

    reviewer.locator("#result_list").get_by_role("link", name=world.branch.name).click()
    reviewer.locator("select[name=decision]").select_option(AssessmentEvent.Action.RETURN)
    reviewer.locator("textarea[name=comment]").fill(REASON)
    shots(reviewer, "return with a reason")
    reviewer.locator("input[name=_save]").click()
    expect(reviewer.locator(".messagelist .success")).to_be_visible()
    open_in_admin(reviewer, world, "Returned")
    expect(reviewer.locator(".field-state")).to_contain_text(state(AssessmentState.RETURNED))
    expect(reviewer.locator(".field-last_comment")).to_contain_text(REASON)
    shots(reviewer, "returned in the admin")

    # The branch secretary sees the reason on the portal and submits again.
    secretary = new_context().new_page()
    log_in(secretary, live_server, "secretary")
    secretary.get_by_role("link", name=zh("This year's self-assessment")).click()
    expect(secretary.get_by_text(state(AssessmentState.RETURNED), exact=True)).to_be_visible()
    expect(secretary.get_by_text(REASON, exact=True)).to_be_visible()
    shots(secretary, "branch sees the return")
    secretary.get_by_role("button", name=zh("Submit the self-assessment")).click()
    expect(secretary.get_by_text(zh("Self-assessment submitted for review."))).to_be_visible()
    expect(secretary.get_by_text(state(AssessmentState.SUBMITTED), exact=True)).to_be_visible()
    shots(secretary, "branch resubmits")

    # Back in the admin: waiting for the reviewer again; approved.
    reviewer.get_by_role(
        "link", name=zh_label(BranchAssessment._meta.verbose_name_plural), exact=True
    ).first.click()
    open_in_admin(reviewer, world, "Waiting for me")
    expect(reviewer.locator(".field-state")).to_contain_text(state(AssessmentState.SUBMITTED))
    reviewer.locator("select[name=decision]").select_option(AssessmentEvent.Action.APPROVE)
    shots(reviewer, "approve")
    reviewer.locator("input[name=_save]").click()
    expect(reviewer.locator(".messagelist .success")).to_be_visible()
    open_in_admin(reviewer, world, "Approved")
    expect(reviewer.locator(".field-state")).to_contain_text(state(AssessmentState.APPROVED))
    expect(reviewer.locator("select[name=decision]")).to_have_count(0)  # final: read-only
    shots(reviewer, "approved in the admin")

    secretary.reload()
    expect(secretary.get_by_text(state(AssessmentState.APPROVED), exact=True)).to_be_visible()
    expect(secretary.get_by_role("button", name=zh("Submit the self-assessment"))).to_have_count(0)
    shots(secretary, "approved on the portal")

    submitted.refresh_from_db()
    assert submitted.state == AssessmentState.APPROVED
    assert list(submitted.events.values_list("action", flat=True).order_by("at", "pk")) == [
        "submit",
        "return",
        "submit",
        "approve",
    ]
