"""The provincial data generator: a valid tree, data in proportion to the factor,
people and posts kept as the membership services keep them, the ledger in every
state, the same data for the same seed, and no silent overwrite of real data."""

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from branches.models import Organisation
from liaison.models import OPEN_STATES, Escalation, Problem, ProblemState
from meetings.models import Attendance, Meeting
from members.models import Membership, Person, Post
from scale import generator

Kind = Organisation.Kind
FACTOR = 0.02  # one subsidiary of full size: about 150 organisations, 3,000 people

# What factor 1 stands for (the issue), and how far a tiny factor may stray from it.
AT_FACTOR_ONE = {
    "organisations": 10_000,
    "people": 200_000,
    "attendance": 1_000_000,
    "visits": 200_000,
    "problems": 50_000,
}


@pytest.fixture(scope="module")
def generated_once(django_db_setup, django_db_blocker):
    """Generated once for the module (a few seconds) and removed after it."""
    with django_db_blocker.unblock():
        result = generator.generate(factor=FACTOR, seed=7, analyze=False)
    yield result
    with django_db_blocker.unblock():
        generator.wipe()


@pytest.fixture
def generated(generated_once, db):
    return generated_once


def test_it_builds_a_valid_tree_with_the_regulations_levels(generated):
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    by_path = {org.path: org for org in Organisation.objects.all()}
    for org in by_path.values():
        parent = by_path.get(org.path[: -Organisation.steplen]) if org.depth > 1 else None
        Organisation.validate_parent(org.kind, parent)  # raises on a wrong level
    kinds = dict(Organisation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    assert set(kinds) == set(Kind.values)
    assert kinds[Kind.GROUP] > kinds[Kind.BRANCH] > kinds[Kind.GENERAL_BRANCH]


def test_it_writes_each_kind_of_row_in_proportion_to_the_factor(generated):
    counts = generated.counts
    for name, at_one in AT_FACTOR_ONE.items():
        expected = at_one * FACTOR
        assert 0.6 * expected <= counts[name] <= 1.6 * expected, (name, counts[name])
    assert Person.objects.count() == counts["people"]
    assert Attendance.objects.count() == counts["attendance"]


def test_it_keeps_every_persons_branch_and_group_as_the_membership_services_do(generated):
    open_memberships = Membership.objects.filter(ended_on__isnull=True)
    assert sorted(open_memberships.values_list("person_id", "branch_id", "group_id")) == sorted(
        Person.objects.values_list("pk", "branch_id", "group_id")
    )
    # A group is a group of the person's branch, and only party members are in one.
    in_groups = Person.objects.filter(group__isnull=False).select_related("branch", "group")
    assert all(p.group.path.startswith(p.branch.path) for p in in_groups)
    assert not in_groups.exclude(status__in=Person.PARTY_STATUSES).exists()


def test_it_gives_posts_only_to_party_members_of_the_organisation(generated):
    posts = Post.objects.select_related("person", "organisation")
    assert not posts.exclude(person__status__in=Person.PARTY_STATUSES).exists()
    for post in posts.filter(organisation__kind=Kind.BRANCH):
        assert post.person.branch_id == post.organisation_id
    for post in posts.filter(role=Post.Role.GROUP_LEADER):
        assert post.person.group_id == post.organisation_id
    # Most branches have a secretary; a few have none, for the structure check to show.
    branches = Organisation.objects.filter(kind=Kind.BRANCH).count()
    with_secretary = posts.filter(organisation__kind=Kind.BRANCH, role="secretary").count()
    assert 0.9 * branches <= with_secretary <= branches


def test_it_records_a_year_of_meetings_with_the_expected_attendance(generated):
    today = timezone.localdate()
    held = Meeting.objects.values_list("held_at", flat=True)
    assert max(held) < timezone.now()
    assert (today - timezone.localdate(min(held))).days <= 366
    assert Meeting.objects.drafts().exists() and Meeting.objects.submitted().exists()
    # Group meetings list the group's party members, nobody else.
    stray = Attendance.objects.filter(meeting__kind="group_meeting").exclude(
        person__group_id=F("meeting__organisation_id")
    )
    assert not stray.exists()
    # Some branches have gaps, so compliance has something to show.
    theme_days = (
        Meeting.objects.filter(kind="theme_day", organisation__kind=Kind.BRANCH)
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert min(theme_days) < 6 < max(theme_days)


def test_it_fills_the_ledger_in_every_state_with_the_schedule_of_a_running_portal(generated):
    states = set(Problem.objects.values_list("state", flat=True))
    assert states == set(ProblemState.values)
    today = timezone.localdate()
    assert Problem.objects.overdue(today).exists()
    assert Problem.objects.filter(deadline__gte=today, state__in=OPEN_STATES).exists()
    # Overdue problems have climbed the levels due by yesterday, one row per level.
    escalated = Problem.objects.filter(escalation_level__gt=0)
    assert escalated.exists()
    assert Escalation.objects.count() == sum(escalated.values_list("escalation_level", flat=True))
    assert (
        not Problem.objects.exclude(state__in=OPEN_STATES)
        .filter(Q(remind_after__isnull=False) | Q(escalate_after__isnull=False))
        .exists()
    )
