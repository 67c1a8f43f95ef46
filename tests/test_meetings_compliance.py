"""Compliance computed from the rules: month, quarter and year boundaries in the
portal's time zone, and the roll-up over a subtree, worst first."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Organisation, StructureRule
from meetings.models import ComplianceRule, Meeting, MeetingKind
from meetings.selectors import obligations_of, rollup, subtree
from members.models import Post
from members.services import post_assign, post_end
from tests.factories import make_member, make_org

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fresh_paths(world):
    for org in (world.committee, world.general, world.branch, world.group,
                world.other_branch, world.functional):
        org.refresh_from_db()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def give_committee(world):
    """Four more full members: with the secretary, the member and the group leader,
    seven, the threshold from which a branch has a branch committee."""
    for _ in range(4):
        make_member(world.branch)


def held(org, kind, at, status=Meeting.Status.SUBMITTED, **fields):
    return Meeting.objects.create(
        organisation=org, kind=kind, topic="t", held_at=at, status=status,
        submitted_at=at if status == Meeting.Status.SUBMITTED else None, **fields,
    )


def by_kind(compliance):
    """The obligations by meeting kind (the secretary's own lessons left aside)."""
    return {o.rule.meeting_kind: o for o in compliance.obligations
            if o.rule.given_by == ComplianceRule.GivenBy.ANYONE}


def secretary_lessons(compliance):
    (found,) = [o for o in compliance.obligations
                if o.rule.given_by == ComplianceRule.GivenBy.SECRETARY]
    return found


def test_it_lists_the_branch_obligations_with_due_dates(world):
    give_committee(world)
    result = by_kind(obligations_of(world.branch, on=datetime.date(2026, 2, 10)))
    assert set(result) == {
        MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_LESSON,
        MeetingKind.THEME_DAY, MeetingKind.ORG_LIFE,
    }
    assert result[MeetingKind.COMMITTEE_MEETING].due == datetime.date(2026, 2, 28)
    assert result[MeetingKind.GENERAL_MEETING].due == datetime.date(2026, 3, 31)
    assert result[MeetingKind.ORG_LIFE].due == datetime.date(2026, 12, 31)
    assert all(o.missing == 1 for o in result.values())


def test_it_counts_a_meeting_in_its_local_month_and_quarter(world):
    give_committee(world)
    # 00:30 on 1 April in Beijing is still 31 March in UTC: it belongs to April and Q2.
    held(world.branch, MeetingKind.GENERAL_MEETING, datetime.datetime(2026, 4, 1, 0, 30,
                                                                      tzinfo=SH))
    held(world.branch, MeetingKind.COMMITTEE_MEETING, datetime.datetime(2026, 4, 1, 0, 30,
                                                                        tzinfo=SH))
    march = by_kind(obligations_of(world.branch, on=datetime.date(2026, 3, 31)))
    april = by_kind(obligations_of(world.branch, on=datetime.date(2026, 4, 1)))
    assert march[MeetingKind.GENERAL_MEETING].held == 0
    assert march[MeetingKind.COMMITTEE_MEETING].held == 0
    assert april[MeetingKind.GENERAL_MEETING].held == 1
    assert april[MeetingKind.COMMITTEE_MEETING].held == 1
    june = by_kind(obligations_of(world.branch, on=datetime.date(2026, 6, 30)))
    assert june[MeetingKind.GENERAL_MEETING].is_met
    assert not june[MeetingKind.COMMITTEE_MEETING].is_met


def test_it_asks_committee_meetings_only_of_a_branch_with_a_committee(world):
    on = datetime.date(2026, 2, 10)
    # Three full members: a secretary and no committee, so no monthly committee meeting
    # shows as missing, this month or ever.
    assert MeetingKind.COMMITTEE_MEETING not in by_kind(obligations_of(world.branch, on=on))
    give_committee(world)
    assert MeetingKind.COMMITTEE_MEETING in by_kind(obligations_of(world.branch, on=on))
    # The threshold is the structure rule's, edited in the admin.
    StructureRule.objects.filter(code="committee_threshold").update(value=8)
    assert MeetingKind.COMMITTEE_MEETING not in by_kind(obligations_of(world.branch, on=on))
    # A company that wants committee meetings of every branch drops the condition.
    ComplianceRule.objects.filter(meeting_kind=MeetingKind.COMMITTEE_MEETING).update(
        applies_when=ComplianceRule.Condition.ALWAYS)
    assert MeetingKind.COMMITTEE_MEETING in by_kind(obligations_of(world.branch, on=on))


def test_it_counts_only_full_members_towards_a_committee(world):
    for _ in range(4):
        make_member(world.branch, status="probationary")
    make_member(world.branch, is_active=False)
    assert MeetingKind.COMMITTEE_MEETING not in by_kind(
        obligations_of(world.branch, on=datetime.date(2026, 2, 10)))


def test_it_asks_the_secretary_for_a_party_lesson_a_year(world):
    on = datetime.date(2026, 5, 20)
    lesson = secretary_lessons(obligations_of(world.branch, on=on))
    assert (lesson.required, lesson.due, lesson.held) == (1, datetime.date(2026, 12, 31), 0)
    assert lesson.kind_label == "Party lesson (党课) given by the secretary"
    # A lesson by someone else counts for the quarter's lessons, not the secretary's.
    held(world.branch, MeetingKind.PARTY_LESSON, datetime.datetime(2026, 2, 3, 9, tzinfo=SH),
         lecturer=world.member)
    compliance = obligations_of(world.branch, on=on)
    assert secretary_lessons(compliance).held == 0
    assert by_kind(obligations_of(world.branch, on=datetime.date(2026, 3, 1)))[
        MeetingKind.PARTY_LESSON].held == 1
    held(world.branch, MeetingKind.PARTY_LESSON, datetime.datetime(2026, 4, 8, 9, tzinfo=SH),
         lecturer=world.secretary)
    compliance = obligations_of(world.branch, on=on)
    assert secretary_lessons(compliance).is_met
    assert by_kind(compliance)[MeetingKind.PARTY_LESSON].held == 1  # Q2: the secretary's
    # Drafts do not count, nor do another year's lessons.
    assert not secretary_lessons(obligations_of(world.branch, on=datetime.date(2027, 1, 5))
                                 ).is_met


def test_it_counts_the_lessons_of_the_secretary_in_post(world):
    held(world.branch, MeetingKind.PARTY_LESSON, datetime.datetime(2026, 3, 3, 9, tzinfo=SH),
         lecturer=world.secretary)
    post = Post.objects.get(organisation=world.branch, role=Post.Role.SECRETARY)
    post_end(post=post, on=datetime.date(2026, 6, 1))
    post_assign(person=world.member, organisation=world.branch, role=Post.Role.SECRETARY,
                on=datetime.date(2026, 6, 1))
    assert secretary_lessons(obligations_of(world.branch, on=datetime.date(2026, 5, 31))).is_met
    # The new secretary gives their own lesson this year.
    assert not secretary_lessons(
        obligations_of(world.branch, on=datetime.date(2026, 6, 2))).is_met


def test_it_starts_the_year_afresh(world):
    held(world.branch, MeetingKind.ORG_LIFE, datetime.datetime(2026, 12, 31, 23, 30, tzinfo=SH))
    assert by_kind(obligations_of(world.branch, on=datetime.date(2026, 12, 31)))[
        MeetingKind.ORG_LIFE].is_met
    assert not by_kind(obligations_of(world.branch, on=datetime.date(2027, 1, 1)))[
        MeetingKind.ORG_LIFE].is_met


def test_it_ignores_drafts(world):
    held(world.branch, MeetingKind.THEME_DAY, datetime.datetime(2026, 5, 5, 9, tzinfo=SH),
         status=Meeting.Status.DRAFT)
    assert by_kind(obligations_of(world.branch, on=datetime.date(2026, 5, 20)))[
        MeetingKind.THEME_DAY].held == 0


def test_it_follows_a_rule_edited_in_the_admin(world):
    ComplianceRule.objects.filter(meeting_kind=MeetingKind.PARTY_LESSON,
                                  organisation_kind="branch").update(period="month",
                                                                     minimum_count=2)
    lesson = by_kind(obligations_of(world.branch, on=datetime.date(2026, 5, 20)))[
        MeetingKind.PARTY_LESSON]
    assert (lesson.required, lesson.due) == (2, datetime.date(2026, 5, 31))
    ComplianceRule.objects.filter(meeting_kind=MeetingKind.PARTY_LESSON).update(
        is_enabled=False)
    assert MeetingKind.PARTY_LESSON not in by_kind(
        obligations_of(world.branch, on=datetime.date(2026, 5, 20)))


def test_it_rolls_up_a_subtree_worst_first(world):
    at = datetime.datetime(2026, 5, 5, 9, tzinfo=SH)
    for kind in (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING,
                 MeetingKind.PARTY_LESSON, MeetingKind.THEME_DAY, MeetingKind.ORG_LIFE):
        lecturer = world.secretary if kind == MeetingKind.PARTY_LESSON else None
        held(world.branch, kind, at, lecturer=lecturer)
    results = rollup(subtree(world.general), on=datetime.date(2026, 5, 20))
    names = [r.organisation.name for r in results]
    assert names[-1] == world.branch.name  # all held: last
    assert results[0].missing >= results[-1].missing
    assert world.group.name in names and world.general.name in names
    assert world.functional.name not in names


def test_it_rolls_up_in_the_same_number_of_queries_at_tenfold_size(world):
    """Prevents the N+1 of one count query per organisation (or per rule)."""
    on = datetime.date(2026, 5, 20)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            rollup(subtree(world.committee), on=on)
        return len(queries)

    small = measure()
    for n in range(10):
        branch = make_org(f"新支部{n}", Organisation.Kind.BRANCH, world.general)
        make_org(f"新支部{n}党小组", Organisation.Kind.GROUP, branch)
        held(branch, MeetingKind.THEME_DAY, datetime.datetime(2026, 5, 3, 9, tzinfo=SH))
    world.committee.refresh_from_db()
    assert (small, measure()) == (6, 6)


def test_it_shows_the_obligations_on_the_branch_page(login, world):
    give_committee(world)
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, tzinfo=SH), tick=False):
        held(world.branch, MeetingKind.COMMITTEE_MEETING, timezone.now())
        page = login("secretary").get(f"/orgs/{world.branch.pk}/").content.decode()
    assert "Branch committee meeting" in page
    assert "2026-05-31" in page and "2026-06-30" in page
    assert "Party lesson (党课) given by the secretary" in page
