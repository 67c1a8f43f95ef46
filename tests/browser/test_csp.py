"""The Content-Security-Policy in a real browser: pages, their htmx panels, Bootstrap's
menus, the language switch and the admin's forms work under SECURE_CSP, and Chromium
reports nothing refused ("Refused to ..." / "... violates the following Content
Security Policy directive") on the way."""

from __future__ import annotations

import pytest
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import expect

from meetings.models import MeetingKind
from tests.admin_helpers import make_staff
from tests.browser.conftest import log_in, panels_loaded, zh

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Records what the policy refused, whether or not Chromium also logs it to the console.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Refusals:
    """Every CSP refusal a tab meets, from its console and from the DOM's events."""

    def __init__(self, tab):
        self.tab = tab
        self.console: list[str] = []
        tab.add_init_script(RECORD_VIOLATIONS)
        tab.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(f"{self.tab.url}: {message.text}")

    def open(self, url: str) -> None:
        self.tab.goto(url)
        self.settle()

    def settle(self) -> None:
        """Wait for the htmx panels to replace their placeholders, then collect."""
        self.tab.wait_for_load_state("load")
        panels_loaded(self.tab)
        events = self.tab.evaluate("window.__cspViolations || []")
        self.console += [f"{self.tab.url}: {event}" for event in events]
        self.tab.evaluate("window.__cspViolations = []")

    def assert_none(self) -> None:
        self.settle()
        assert self.console == []


@pytest.fixture
def refusals(page):
    return Refusals(page)


def test_the_detector_sees_a_refusal(world, live_server, page, refusals):
    """An inline style added to a page is refused and reported: the checks below can fail."""
    refusals.open(f"{live_server.url}/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    refusals.settle()
    assert any("style-src" in line for line in refusals.console), refusals.console


def test_portal_pages_run_under_the_policy(world, live_server, page, refusals):
    tab = page
    base = live_server.url
    refusals.open(f"{base}/login/")
    log_in(tab, live_server, "committee")
    refusals.settle()
    # The committee's home is its dashboard; its panels load by htmx.
    refusals.open(f"{base}/")
    tab.locator("nav").get_by_role("button", name=zh("Party life")).click()
    expect(tab.locator(".dropdown-menu.show")).to_be_visible()
    refusals.open(f"{base}/orgs/")
    refusals.open(f"{base}/orgs/{world.branch.pk}/")
    refusals.open(f"{base}/meetings/org/{world.branch.pk}/new/?kind={MeetingKind.GENERAL_MEETING}")
    expect(tab.locator("input[name=topic]")).to_be_visible()
    refusals.open(f"{base}/meetings/org/{world.branch.pk}/calendar/")
    refusals.open(f"{base}/people/{world.member.pk}/")
    refusals.open(f"{base}/vanguard/card/{world.member.pk}/")
    expect(tab.locator(".member-card svg")).to_be_visible()  # the QR code, an inline SVG
    # The language switch submits itself (static/js/portal.js, no onchange=).
    tab.locator("select[name=language]").first.select_option("en")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    refusals.assert_none()


def test_the_admin_runs_under_the_policy(world, live_server, page, refusals):
    make_staff("committee")
    tab = page
    base = live_server.url
    log_in(tab, live_server, "committee")
    refusals.open(f"{base}/admin/")
    refusals.open(f"{base}/admin/members/person/")
    refusals.open(f"{base}/admin/members/person/{world.member.pk}/change/")
    expect(tab.locator("input[name=name]")).to_have_value(world.member.name)
    refusals.open(f"{base}/admin/branches/organisation/{world.branch.pk}/change/")
    refusals.open(f"{base}/admin/branches/organisation/{world.branch.pk}/history/")
    # django-celery-beat's form: its inline script is static/js/periodic_task_form.js here.
    refusals.open(f"{base}/admin/django_celery_beat/periodictask/add/")
    (chosen,) = tab.locator("#id_crontab").select_option(index=1)
    in_words = CrontabSchedule.objects.get(pk=chosen).human_readable
    expect(tab.locator(".field-crontab .help")).to_contain_text(in_words)
    refusals.assert_none()
