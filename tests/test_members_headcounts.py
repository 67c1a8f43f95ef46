"""The headcount summary: the active people of each branch by status, kept exact at
every save, and the committee's overview that reads it."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from branches.models import Organisation
from members import headcounts
from members.models import Headcount, Person
from members.services import membership_start, person_update
from tests.factories import PersonFactory, make_member, make_org


def counts() -> dict[tuple[int, str], int]:
    return {(h.branch_id, h.status): h.people for h in Headcount.objects.all()}


def live() -> dict[tuple[int, str], int]:
    """What the people table says: the summary must always equal this."""
    found: dict[tuple[int, str], int] = {}
    for person in Person.objects.filter(is_active=True, branch__isnull=False):
        key = (person.branch_id, person.status)
        found[key] = found.get(key, 0) + 1
    return found


def test_it_counts_everyone_as_they_join(world):
    assert counts() == live()
    assert counts()[(world.branch.pk, Person.Status.FULL)] == 3  # member, secretary, leader
    assert counts()[(world.branch.pk, Person.Status.MASSES)] == 1


def test_a_change_of_status_moves_a_person_between_counts(world):
    before = counts()
    person_update(person=Person.objects.get(pk=world.masses.pk), status=Person.Status.APPLICANT)
    after = counts()
    assert after.get((world.branch.pk, Person.Status.MASSES), 0) == (
        before[(world.branch.pk, Person.Status.MASSES)] - 1
    )
    assert after[(world.branch.pk, Person.Status.APPLICANT)] == 1
    assert after == live()


def test_a_move_recounts_both_branches(world):
    person = Person.objects.get(pk=world.member.pk)
    membership_start(person=person, branch=world.other_branch, on=datetime.date(2026, 3, 1))
    assert counts() == live()
    assert counts()[(world.other_branch.pk, Person.Status.FULL)] == 3


def test_leaving_and_deletion_are_counted_too(world):
    person = Person.objects.get(pk=world.other_member.pk)
    person.is_active = False
    person.save()
    assert counts() == live()
    make_member(world.branch).delete()
    assert counts() == live()


def test_a_recount_of_everything_repairs_what_bypassed_save(world):
    Person.objects.filter(pk=world.member.pk).update(status=Person.Status.PROBATIONARY)
    assert counts() != live()  # a bulk update skips the signals ...
    assert headcounts.recount_all() == len(live())
    assert counts() == live()  # ... and the hourly recount puts it right


def test_the_committee_home_reads_the_counts(login, world):
    client = login("committee")
    response = client.get("/")
    statuses = dict(response.context["statuses"])
    full = str(Person.Status.FULL.label)
    before = statuses[full]
    below = {org.pk: org for org in response.context["below"]}
    under_general = below[world.general.pk].subtree_party_members
    make_member(world.other_branch)  # a full member, saved: counted at once
    response = client.get("/")
    assert dict(response.context["statuses"])[full] == before + 1
    below = {org.pk: org for org in response.context["below"]}
    assert below[world.general.pk].subtree_party_members == under_general + 1


def test_party_members_below_add_up_each_subtree(world):
    second = make_org("第二党小组", Organisation.Kind.GROUP, world.branch)
    make_member(world.branch, group=second)
    # Fresh from the database: adding organisations sorted by name renumbers paths.
    organisations = Organisation.objects.filter(
        pk__in=[world.general.pk, world.functional.pk, world.branch.pk]
    )
    result = headcounts.party_members_below(list(organisations))
    assert result[world.branch.pk] == 4
    assert result[world.general.pk] == 4 + 2  # the other branch's member and secretary
    assert result[world.functional.pk] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_joining_one_branch_at_once_are_both_counted():
    """Each save recounts under the branch's lock: the second waits for the first to
    commit and counts it, instead of overwriting it with a count that misses it."""
    if connection.vendor != "postgresql":
        pytest.skip("the per-branch lock is PostgreSQL's")
    committee = make_org("党委", Organisation.Kind.COMMITTEE)
    branch = make_org("支部", Organisation.Kind.BRANCH, committee)
    people = [PersonFactory() for _ in range(2)]
    inside = threading.Barrier(2)
    errors = []

    def join(person):
        try:
            with transaction.atomic():
                inside.wait(timeout=10)
                membership_start(person=person, branch=branch, on=datetime.date(2026, 1, 1))
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=join, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert counts() == live() == {(branch.pk, Person.Status.FULL): 2}


def test_the_overview_follows_the_tree_as_it_moves_and_grows(world):
    """The rows keep a copy of their branch's path: a move rewrites it, and so does a new
    general branch sorted before the others (which shifts their paths)."""

    def party_members() -> dict[int, int]:
        generals = list(Organisation.objects.filter(kind=Organisation.Kind.GENERAL_BRANCH))
        committee = Organisation.objects.get(pk=world.committee.pk)
        return headcounts.overview([committee], generals)[1]

    before = party_members()
    # "仓储" sorts before "采购": the existing general branch's subtree changes its paths.
    other_general = make_org("仓储配送党总支", Organisation.Kind.GENERAL_BRANCH, world.committee)
    assert party_members() == {**before, other_general.pk: 0}
    moved = Organisation.objects.get(pk=world.other_branch.pk)
    target = Organisation.objects.get(pk=other_general.pk)
    Organisation.objects.move(moved, target, "sorted-child")
    after = party_members()
    gone = before[world.general.pk] - after[world.general.pk]
    assert gone > 0 and after[other_general.pk] == gone
    assert set(Headcount.objects.filter(branch=moved).values_list("path", flat=True)) == {
        Organisation.objects.get(pk=moved.pk).path
    }
