"""The maintained compliance summary: the same figures as the live computation, kept
fresh when a meeting is submitted or a rule changes, read a page at a time."""

import datetime
import time
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation
from meetings import summary
from meetings.models import (
    ComplianceRule,
    ComplianceSummary,
    ComplianceSummaryRefresh,
    MeetingKind,
)
from meetings.selectors import obligations_of, rollup, subtree
from meetings.services import AttendanceEntry, MeetingData, meeting_create, meeting_submit
from members.models import Person
from tests.factories import make_org

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 5, 20)
MAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def in_may():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, tzinfo=SH), tick=False):
        yield


def submitted(org, kind, day, people=()):
    meeting = meeting_create(
        organisation=org,
        kind=kind,
        data=MeetingData(held_at=datetime.datetime.combine(day, datetime.time(9), SH), topic="t"),
        by=None,
        attendance=[AttendanceEntry(p.pk, "present") for p in people],
    )
    return meeting_submit(meeting=meeting, by=None)


def figures(results):
    return {r.organisation.pk: (r.required, r.held, r.missing) for r in results}


def branch_members(world):
    return list(Person.objects.filter(branch=world.branch, status__in=Person.PARTY_STATUSES))


def test_the_summary_agrees_with_the_live_computation(world):
    submitted(world.branch, MeetingKind.THEME_DAY, datetime.date(2026, 5, 3), branch_members(world))
    summary.refresh(year=2026)
    rows = summary.rows_for(subtree(world.committee), month=MAY)
    assert figures(summary.compliance_of(rows)) == figures(
        rollup(subtree(world.committee), on=TODAY)
    )
    # Every begun month of the year has its row, and no month to come.
    months = set(
        ComplianceSummary.objects.filter(organisation=world.branch).values_list("month", flat=True)
    )
    assert months == {datetime.date(2026, m, 1) for m in range(1, 6)}


def test_a_submitted_meeting_shows_in_the_rollup_at_once(world, login):
    summary.refresh(year=2026)
    before = ComplianceSummary.objects.get(organisation=world.branch, month=MAY)
    submitted(world.branch, MeetingKind.THEME_DAY, datetime.date(2026, 5, 3), branch_members(world))
    after = ComplianceSummary.objects.get(organisation=world.branch, month=MAY)
    assert after.held == before.held + 1 and after.missing == before.missing - 1
    page = login("committee").get(f"/meetings/org/{world.committee.pk}/compliance/?month=2026-05")
    assert "Figures as of" in page.content.decode()


def test_refreshing_twice_changes_nothing(world):
    submitted(world.branch, MeetingKind.THEME_DAY, datetime.date(2026, 5, 3), branch_members(world))
    first = summary.refresh(year=2026)

    def snapshot():
        return sorted(
            ComplianceSummary.objects.values_list(
                "organisation_id", "month", "required", "held", "missing", "obligations"
            )
        )

    rows = snapshot()
    assert summary.refresh(year=2026) == first
    assert snapshot() == rows


def test_a_closed_organisation_leaves_the_rollup(world):
    summary.refresh(year=2026)
    assert ComplianceSummary.objects.filter(organisation=world.other_branch).exists()
    Organisation.objects.filter(pk=world.other_branch.pk).update(is_active=False)
    summary.refresh(year=2026)
    assert not ComplianceSummary.objects.filter(organisation=world.other_branch).exists()


def test_a_new_branch_appears_without_waiting_for_the_hourly_run(world, login):
    summary.refresh(year=2026)
    world.general.refresh_from_db()
    new = make_org("新成立党支部", Organisation.Kind.BRANCH, world.general)
    page = login("committee").get(f"/meetings/org/{world.committee.pk}/compliance/?month=2026-05")
    assert new.name in page.content.decode()


def test_the_rollup_pages_worst_first(world, login, monkeypatch):
    monkeypatch.setattr("meetings.views.COMPLIANCE_PAGE_SIZE", 5)
    world.general.refresh_from_db()
    for n in range(6):
        make_org(f"新支部{n}", Organisation.Kind.BRANCH, world.general)
    summary.refresh(year=2026)
    url = f"/meetings/org/{world.committee.pk}/compliance/?month=2026-05"
    client = login("committee")
    first = client.get(url)
    second = client.get(url + "&page=2")
    assert len(first.context["results"]) == 5
    shown = [r.organisation.pk for r in first.context["results"] + second.context["results"]]
    missing = [r.missing for r in first.context["results"] + second.context["results"]]
    assert len(shown) == len(set(shown)) and missing == sorted(missing, reverse=True)
    # Never counted: one row more than shown tells there is a next page.
    assert "Page 1" in first.content.decode() and "page=2" in first.content.decode()
    last = -(-summary.rows_for(subtree(world.committee), month=MAY).count() // 5)
    assert f"page={last + 1}" not in client.get(url + f"&page={last}").content.decode()
    assert client.get(url + "&page=99").context["page"].number == last


@pytest.mark.parametrize("persona", ["secretary", "member"])
def test_only_leaders_of_the_subtree_see_its_rollup(world, login, persona):
    response = login(persona).get(f"/meetings/org/{world.committee.pk}/compliance/")
    assert response.status_code == 404


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rule_changed_in_the_admin_refreshes_everyone_on_the_worker(
    world, celery_worker_thread, superuser
):
    summary.refresh(year=2026)
    rule = ComplianceRule.objects.get(
        meeting_kind=MeetingKind.THEME_DAY, organisation_kind=Organisation.Kind.BRANCH
    )
    before = ComplianceSummary.objects.get(organisation=world.branch, month=MAY).required
    response = superuser.post(
        f"/admin/meetings/compliancerule/{rule.pk}/change/",
        {
            **{
                field: getattr(rule, field)
                for field in (
                    "meeting_kind",
                    "organisation_kind",
                    "period",
                    "applies_when",
                    "given_by",
                    "source",
                    "note",
                )
            },
            "minimum_count": rule.minimum_count + 2,
            "is_enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for _ in range(120):
        row = ComplianceSummary.objects.get(organisation=world.branch, month=MAY)
        if row.required == before + 2:
            break
        time.sleep(0.25)
    assert row.required == before + 2


def test_the_command_recomputes_both_summaries(world):
    from io import StringIO

    from django.core.management import call_command

    from overview.models import Refresh

    out = StringIO()
    call_command("refresh_summaries", "--year", "2026", stdout=out)
    assert ComplianceSummary.objects.filter(organisation=world.branch, month=MAY).exists()
    assert Refresh.objects.exists()  # the overview records each full run
    assert "compliance summary" in out.getvalue()


# --- Missing rows: `ensure` ------------------------------------------------------------


def later(hours: float):
    """Time moves on (past `summary.CHANGES_MARGIN` of what the fixtures changed)."""
    return time_machine.travel(
        datetime.datetime(2026, 5, 20, 10, tzinfo=SH) + datetime.timedelta(hours=hours),
        tick=False,
    )


def rollup_names(client, org) -> str:
    return client.get(f"/meetings/org/{org.pk}/compliance/?month=2026-05").content.decode()


def test_a_run_over_everyone_records_the_months_it_covered(world):
    with later(2):
        summary.refresh(year=2026)
        assert set(ComplianceSummaryRefresh.objects.values_list("month", flat=True)) == {
            datetime.date(2026, m, 1) for m in range(1, 6)
        }
        # One organisation's refresh (a meeting submitted) covers no month for everyone.
        ComplianceSummaryRefresh.objects.all().delete()
        summary.refresh([world.branch.pk], year=2026)
        assert not ComplianceSummaryRefresh.objects.exists()


def test_a_branch_created_after_the_run_appears_at_once(world, login):
    with later(2):
        summary.refresh(year=2026)
    with later(3):
        world.general.refresh_from_db()
        new = make_org("新成立党支部", Organisation.Kind.BRANCH, world.general)
        assert new.name in rollup_names(login("committee"), world.committee)
        assert ComplianceSummary.objects.filter(organisation=new, month=MAY).exists()


def test_a_reopened_branch_appears_at_once(world, login):
    closed = world.other_branch
    closed.is_active = False
    closed.save()
    with later(2):
        summary.refresh(year=2026)
        assert not ComplianceSummary.objects.filter(organisation=closed).exists()
    with later(3):
        closed.is_active = True
        closed.save()
        assert closed.name in rollup_names(login("committee"), world.committee)


def test_a_month_no_run_covered_is_computed_whole(world, login):
    with later(2):
        summary.refresh([world.branch.pk], year=2026)  # a meeting's refresh only
        page = rollup_names(login("committee"), world.committee)
    assert world.group.name in page and world.other_branch.name in page


def test_a_rule_for_another_kind_of_organisation_shows_it_before_the_worker_runs(world, login):
    groups = ComplianceRule.objects.filter(organisation_kind=Organisation.Kind.GROUP)
    groups.update(is_enabled=False)  # past the signals, as if long ago
    with later(2):
        summary.refresh(year=2026)
        assert not ComplianceSummary.objects.filter(organisation=world.group).exists()
        assert ComplianceSummaryRefresh.objects.exists()
    with later(3):
        rule = groups.first()
        rule.is_enabled = True
        rule.save()  # the refresh of everyone waits for the worker
        assert not ComplianceSummaryRefresh.objects.exists()
        assert world.group.name in rollup_names(login("committee"), world.committee)


def test_a_run_during_a_rule_change_does_not_vouch_for_everyone(world):
    with later(2):
        rule = ComplianceRule.objects.filter(organisation_kind=Organisation.Kind.GROUP).first()
        rule.save()
        summary.refresh(year=2026)  # it may have read the rules before the change
        assert not ComplianceSummaryRefresh.objects.exists()
    with later(4):
        summary.refresh(year=2026)
        assert ComplianceSummaryRefresh.objects.exists()


def test_it_checks_for_missing_rows_in_two_queries_at_tenfold_size(world):
    """Prevents looking at every organisation of a provincial tree on every page: after a
    run over everyone only the organisations changed since are looked at."""

    def measure():
        with CaptureQueriesContext(connection) as queries:
            summary.ensure(subtree(world.committee), month=MAY)
        return len(queries)

    with later(2):
        summary.refresh(year=2026)
        small = measure()
    with later(3):
        world.general.refresh_from_db()
        for n in range(10):
            branch = make_org(f"新支部{n}", Organisation.Kind.BRANCH, world.general)
            make_org(f"新支部{n}党小组", Organisation.Kind.GROUP, branch)
        summary.ensure(subtree(world.committee), month=MAY)  # computes the new ones
        assert not Organisation.objects.filter(compliance_summaries__isnull=True).exists()
        large = measure()
    assert (small, large) == (2, 2)


# --- Panels -------------------------------------------------------------------------


def test_the_committee_home_links_to_the_full_rollup_when_there_is_more(world, login, monkeypatch):
    monkeypatch.setattr("meetings.templatetags.party_life.ROLLUP_ROWS", 2)
    summary.refresh(year=2026)
    page = login("committee").get("/").content.decode()
    assert f"/meetings/org/{world.committee.pk}/compliance/" in page
    assert "Full roll-up" in page


def test_the_organisation_page_reads_its_own_obligations_from_the_summary(world, login):
    submitted(world.branch, MeetingKind.THEME_DAY, datetime.date(2026, 5, 3), branch_members(world))
    row = ComplianceSummary.objects.get(organisation=world.branch, month=MAY)
    response = login("secretary").get(f"/orgs/{world.branch.pk}/")
    own = response.context["own"]
    live = obligations_of(world.branch, on=TODAY)
    assert (own.required, own.held, own.missing) == (live.required, live.held, live.missing)
    assert own.missing == row.missing
