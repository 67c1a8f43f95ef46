"""The maintained monthly figures: each organisation's own records counted by month
with set-based queries, problem states as of each month's end, the year's grades on
January's row, a group's rows tied to its branch, and a refresh that gives the same
rows however often it runs."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from branches.models import Organisation, Segment
from liaison.models import Visit
from meetings.models import ComplianceSummary, Meeting
from overview import summary
from overview.models import (
    COMPLIANCE,
    COUNTERS,
    MonthlyFigures,
    Refresh,
    SegmentFigures,
    SubtreeFigures,
)
from overview.tasks import refresh_overview_figures
from tests.overview_data import APRIL, MAY, NOW, fill, grow


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def filled(world):
    fill(world)
    return world


def row(org, month=MAY) -> MonthlyFigures:
    return MonthlyFigures.objects.get(organisation=org, month=month)


def rows() -> list[dict]:
    """Every row without its id and time stamp, in a stable order."""
    return [
        model_to_dict(figures, exclude=["id", "computed_at"])
        for figures in MonthlyFigures.objects.order_by("organisation_id", "month")
    ]


def test_it_counts_an_organisations_own_meetings_and_attendance(filled):
    branch = row(filled.branch)
    # The theme day; the meeting without its quorum and the draft are not held.
    assert branch.meetings_held == 1
    # The theme day (3 expected, 2 present) and the meeting without its quorum (1/1).
    assert (branch.attendance_expected, branch.attendance_present) == (4, 3)
    group = row(filled.group)
    assert (group.meetings_held, group.attendance_expected, group.attendance_present) == (1, 2, 2)
    committee = row(filled.committee)
    assert (committee.meetings_held, committee.studies_held) == (1, 1)
    april = row(filled.branch, APRIL)
    assert (april.meetings_held, april.lessons_held, april.attendance_present) == (1, 1, 2)


def test_it_counts_visits_opinions_development_and_credits_where_they_belong(filled):
    branch = row(filled.branch)
    assert (branch.visits, branch.opinions) == (1, 1)
    assert (branch.applicants, branch.admitted) == (1, 1)
    assert branch.credits == 2
    assert row(filled.other_branch).visits == 1
    assert row(filled.branch, APRIL).visits == 1


def test_it_keeps_the_problem_ledger_as_of_each_months_end(filled):
    may = row(filled.branch)
    assert may.problems_registered == 1  # P3
    assert (may.problems_written_off, may.problems_written_off_on_time) == (2, 1)  # P1, P4
    assert (may.problems_open, may.problems_overdue) == (2, 1)  # P2, P3; P2 overdue today
    april = row(filled.branch, APRIL)
    # On April 30: P2 open, due that very day, so not yet overdue; P4 resolved on the 5th.
    assert (april.problems_open, april.problems_overdue) == (1, 0)
    assert (april.problems_registered, april.problems_resolved) == (1, 1)
    march = row(filled.branch, datetime.date(2026, 3, 1))
    # On March 31: P4 open and long overdue; P1 resolved on the 20th.
    assert (march.problems_open, march.problems_overdue, march.problems_resolved) == (1, 1, 1)


def test_it_keeps_the_years_grades_on_januarys_row(filled):
    january = row(filled.branch, datetime.date(2026, 1, 1))
    assert (january.branch_excellent, january.appraisal_excellent) == (1, 1)
    assert january.appraisal_qualified == 1
    assert row(filled.other_branch, datetime.date(2026, 1, 1)).branch_pending == 1


def test_a_groups_rows_belong_to_its_branch(filled):
    assert row(filled.group).branch_id == filled.branch.pk
    assert row(filled.branch).branch_id == filled.branch.pk
    assert row(filled.committee).branch_id is None


def test_it_writes_nothing_for_months_not_begun(filled):
    assert not MonthlyFigures.objects.filter(month__gt=MAY).exists()
    assert summary.refresh(2027, now=NOW) == 0


def test_running_it_twice_gives_the_same_rows_and_writes_nothing(filled):
    first = rows()
    assert first
    later = NOW + datetime.timedelta(hours=1)
    assert summary.refresh(2026, now=later) == 0
    assert rows() == first
    # The run is recorded: the pages' "figures as of".
    run = Refresh.objects.get(year=2026)
    assert (run.finished_at, run.rows, run.written, run.deleted) == (later, len(first), 0, 0)


def test_from_empty_it_writes_every_row_again(filled):
    first = rows()
    MonthlyFigures.objects.all().delete()
    assert summary.refresh(2026, now=NOW) == len(first)
    assert rows() == first


def test_it_drops_what_no_longer_counts(filled):
    Visit.objects.filter(organisation=filled.other_branch).delete()
    Meeting.objects.filter(organisation=filled.other_branch).delete()
    summary.refresh(2026, now=NOW + datetime.timedelta(hours=1))
    # The other branch keeps its open problem (P5) and nothing else.
    other = row(filled.other_branch)
    assert (other.visits, other.meetings_held, other.attendance_expected) == (0, 0, 0)
    assert other.problems_open == 1


def test_it_refreshes_only_the_organisations_asked_for(filled):
    Visit.objects.filter(organisation=filled.branch).delete()
    summary.refresh(2026, [filled.other_branch.pk], now=NOW + datetime.timedelta(hours=1))
    assert row(filled.branch).visits == 1  # not refreshed yet
    summary.refresh(2026, [filled.branch.pk], now=NOW + datetime.timedelta(hours=2))
    assert row(filled.branch).visits == 0
    assert row(filled.other_branch).visits == 1


def test_it_takes_the_same_queries_whatever_the_tree(filled):
    """One GROUP BY per source, not a query per organisation or month."""

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            summary.refresh(2026, now=NOW)
        return len(queries)

    small, before = measure(), MonthlyFigures.objects.count()
    grow(filled, 5)
    assert MonthlyFigures.objects.count() >= 2 * before
    assert measure() == small


def test_the_hourly_task_refreshes_the_current_year(filled):
    MonthlyFigures.objects.all().delete()
    assert refresh_overview_figures() > 0
    assert row(filled.branch).meetings_held == 1
    task = PeriodicTask.objects.get(task="overview.tasks.refresh_overview_figures")
    assert (task.crontab.minute, task.crontab.hour) == ("20", "*")


def test_in_january_it_also_refreshes_last_year(filled):
    with time_machine.travel(datetime.datetime(2027, 1, 10, 9, tzinfo=NOW.tzinfo), tick=False):
        MonthlyFigures.objects.all().delete()
        summary.refresh_all()
    assert row(filled.branch).meetings_held == 1  # May 2026, refreshed in January 2027


# --- The subtrees' totals ------------------------------------------------------------


def subtree_rows() -> dict[tuple[int, datetime.date], dict]:
    return {
        (figures.organisation_id, figures.month): model_to_dict(
            figures, exclude=["id", "organisation", "month", "computed_at"]
        )
        for figures in SubtreeFigures.objects.all()
    }


def added_up() -> dict[tuple[int, datetime.date], dict]:
    """The subtree totals worked out the slow way: every organisation's monthly
    figures and compliance rows added to it and to each organisation above it."""
    totals: dict[tuple[int, datetime.date], dict] = {}
    paths = dict(Organisation.objects.values_list("pk", "path"))
    pk_at = {path: pk for pk, path in paths.items()}

    def above(pk):  # the organisation and those above it
        path = paths[pk]
        return [pk_at[path[:end]] for end in range(4, len(path) + 1, 4)]

    for figures in MonthlyFigures.objects.all():
        for pk in above(figures.organisation_id):
            total = totals.setdefault((pk, figures.month), dict.fromkeys(COUNTERS + COMPLIANCE, 0))
            for name in COUNTERS:
                total[name] += getattr(figures, name)
    for row_ in ComplianceSummary.objects.all():
        for pk in above(row_.organisation_id):
            total = totals.setdefault((pk, row_.month), dict.fromkeys(COUNTERS + COMPLIANCE, 0))
            total["compliance_rows"] += 1
            total["compliance_required"] += row_.required
            total["compliance_held"] += row_.held
            total["compliance_missing"] += row_.missing
            latest = total.get("compliance_computed_at")
            total["compliance_computed_at"] = max(filter(None, [latest, row_.computed_at]))
    for total in totals.values():
        total.setdefault("compliance_computed_at", None)
    return totals


def test_the_subtree_figures_are_the_tree_added_up(filled):
    assert subtree_rows() == added_up()
    committee = SubtreeFigures.objects.get(organisation=filled.committee, month=MAY)
    assert (committee.meetings_held, committee.visits, committee.compliance_missing) == (4, 2, 5)


def test_the_subtree_figures_follow_a_change_and_a_second_run_writes_nothing(filled):
    Visit.objects.filter(organisation=filled.other_branch).delete()
    Meeting.objects.filter(organisation=filled.other_branch).delete()
    summary.refresh(2026, now=NOW + datetime.timedelta(hours=1))
    assert subtree_rows() == added_up()
    stamps = dict(SubtreeFigures.objects.values_list("pk", "computed_at"))
    summary.refresh(2026, now=NOW + datetime.timedelta(hours=2))
    assert dict(SubtreeFigures.objects.values_list("pk", "computed_at")) == stamps


def test_the_subtree_figures_of_a_tree_grown_tenfold_still_add_up(filled):
    grow(filled, 10)
    assert subtree_rows() == added_up()


def test_the_segment_figures_add_up_the_branches_by_segment(filled):
    grow(filled, 3)
    expected: dict[tuple[int, datetime.date, int | None], dict] = {}
    for above in Organisation.objects.exclude(kind__in=["branch", "group"]):
        for row in SubtreeFigures.objects.filter(
            organisation__path__startswith=above.path, organisation__kind="branch"
        ).select_related("organisation"):
            key = (above.pk, row.month, row.organisation.segment_id)
            total = expected.setdefault(key, dict.fromkeys(COUNTERS, 0))
            for name in COUNTERS:
                total[name] += getattr(row, name)
    found = {
        (row.organisation_id, row.month, row.segment_id): {
            name: getattr(row, name) for name in COUNTERS
        }
        for row in SegmentFigures.objects.all()
    }
    assert found == expected
    # The other branch's visit and the three new branches', all of the back segment.
    assert found[(filled.committee.pk, MAY, Segment.objects.get(code="back").pk)]["visits"] == 4
