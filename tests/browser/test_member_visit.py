"""Journey 2: a member files a visit record (走访谈心) with an opinion; the branch
secretary, in a browser of their own, registers the opinion as a problem with an
owner and a deadline; the member finds it under "my problems"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.models import Opinion, Problem, ProblemCategory, ProblemState, Visit
from tests.browser.conftest import log_in, zh, zh_label

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DISCUSSION = "谈了合同签订流程和近期供应商交货情况，对党支部联系点工作提出建议。"
OPINION = "建议合同审批增加线上会签，缩短纸质流转时间"


def open_nav_item(tab, menu: str, item: str) -> None:
    tab.locator("nav").get_by_role("button", name=zh(menu)).click()
    tab.locator(".dropdown-menu.show").get_by_role("link", name=zh(item)).click()


def test_member_files_a_visit_that_becomes_a_problem(world, live_server, page, new_context, shots):
    member = page
    log_in(member, live_server, "member")
    expect(member.get_by_role("heading", name=world.member.name)).to_be_visible()
    shots(member, "member home")

    open_nav_item(member, "Liaison", "My visits")
    member.get_by_role("link", name=zh("File a visit")).click()
    member.locator("select[name=visited]").select_option(label=world.masses.name)
    member.locator("select[name=method]").select_option(index=0)
    member.locator("textarea[name=discussion]").fill(DISCUSSION)
    member.locator("textarea[name=opinions]").fill(OPINION)
    shots(member, "visit form filled")
    member.get_by_role("button", name=zh("Save")).click()

    expect(
        member.get_by_text(zh("The visit was filed; your secretary will review it."))
    ).to_be_visible()
    visit_row = member.locator("tr", has_text=world.masses.name)
    expect(visit_row).to_contain_text(zh("Awaiting review"))
    shots(member, "visit filed")

    # The secretary, in a browser of their own, registers the opinion as a problem.
    secretary = new_context().new_page()
    log_in(secretary, live_server, "secretary")
    open_nav_item(secretary, "Liaison", "Problem ledger")
    secretary.locator("ul.nav-tabs").get_by_role("link", name=zh("Opinions"), exact=True).click()
    opinion_row = secretary.locator("tr", has_text=OPINION)
    expect(opinion_row).to_contain_text(world.masses.name)
    shots(secretary, "secretary sees the opinion")
    opinion_row.get_by_role("link", name=zh("Register as a problem")).click()

    deadline = timezone.localdate() + datetime.timedelta(days=10)
    expect(secretary.locator("input[name=title]")).to_have_value(OPINION)
    category = ProblemCategory.objects.filter(is_active=True).order_by("order", "pk").first()
    secretary.locator("select[name=category]").select_option(label=category.name)
    secretary.locator("select[name=organisation]").select_option(label=world.branch.name)
    secretary.locator("select[name=owner]").select_option(label=world.member.name)
    secretary.locator("input[name=deadline]").fill(deadline.isoformat())
    shots(secretary, "register the problem")
    secretary.get_by_role("button", name=zh("Register"), exact=True).click()

    expect(secretary.get_by_text(zh("The problem was registered."))).to_be_visible()
    shots(secretary, "problem registered")
    secretary.locator("nav").get_by_role("button", name=zh("Liaison")).click()
    secretary.locator(".dropdown-menu.show").get_by_role("link", name=zh("Problem ledger")).click()
    ledger_row = secretary.locator("tr", has_text=OPINION)
    expect(ledger_row).to_contain_text(world.member.name)
    expect(ledger_row).to_contain_text(deadline.isoformat())
    expect(ledger_row).to_contain_text(zh_label(ProblemState.REGISTERED.label))
    shots(secretary, "problem in the ledger")

    # The member sees it among their problems (they own the follow-up).
    open_nav_item(member, "Liaison", "My visits")
    member.get_by_role("link", name=zh("My problems")).click()
    mine = member.locator("tr", has_text=OPINION)
    expect(mine).to_contain_text(deadline.isoformat())
    expect(mine).to_contain_text(world.masses.name)
    expect(mine).to_contain_text(zh_label(ProblemState.REGISTERED.label))
    shots(member, "my problems")

    visit = Visit.objects.get(visitor=world.member)
    opinion = Opinion.objects.get(visit=visit)
    problem = Problem.objects.get(opinion=opinion)
    assert problem.owner == world.member and problem.deadline == deadline
