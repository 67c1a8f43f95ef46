"""Transfers through the services: only a current member can be transferred out, one
open transfer per person, a letter number once a year, and confirmation moves the
membership on the effective date with the history whole; nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Membership, Person, Post
from tests.factories import PersonFactory
from transfers.models import Transfer
from transfers.services import (
    TransferData,
    transfer_cancel,
    transfer_confirm,
    transfer_issue,
    transfer_receive,
)

D = datetime.date


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh(world):
    for org in (world.branch, world.other_branch, world.general, world.committee):
        org.refresh_from_db()


def within(world, person=None, letter="001", **changes):
    fields = {
        "person": person or world.member,
        "direction": "within",
        "letter_no": letter,
        "issued_on": D(2026, 3, 1),
        "effective_on": D(2026, 3, 15),
        "from_branch": world.branch,
        "to_branch": world.other_branch,
    }
    fields.update(changes)
    return TransferData(**fields)


def test_a_non_member_of_the_branch_is_refused(world):
    with pytest.raises(ValidationError, match="李党员 is not a member of 采购合同党支部"):
        transfer_issue(data=within(world, person=world.other_member), by=None)
    assert not Transfer.objects.exists()


def test_non_party_staff_have_no_relationship_to_transfer(world):
    with pytest.raises(ValidationError, match="not a party member"):
        transfer_issue(data=within(world, person=world.masses), by=None)


def test_a_second_open_transfer_is_refused(world):
    transfer_issue(data=within(world), by=None)
    with pytest.raises(ValidationError, match="already has a transfer under way"):
        transfer_issue(data=within(world, letter="002"), by=None)
    assert Transfer.objects.count() == 1


def test_a_letter_number_is_used_once_a_year(world):
    transfer_issue(data=within(world), by=None)
    with pytest.raises(ValidationError, match="already used in 2026"):
        transfer_issue(data=within(world, person=world.secretary), by=None)
    # The same number next year is fine.
    transfer_issue(
        data=within(
            world, person=world.secretary, issued_on=D(2027, 1, 5), effective_on=D(2027, 1, 10)
        ),
        by=None,
    )


def test_directions_need_their_branches_and_outside_organisation(world):
    with pytest.raises(ValidationError, match="Name the outside organisation"):
        transfer_issue(data=within(world, direction="out", to_branch=None), by=None)
    with pytest.raises(ValidationError, match="cannot take effect before"):
        transfer_issue(data=within(world, effective_on=D(2026, 2, 1)), by=None)
    with pytest.raises(ValidationError, match="already belongs"):
        transfer_issue(data=within(world, to_branch=world.branch), by=None)


def test_confirming_moves_the_membership_on_the_effective_date(world):
    transfer = transfer_issue(data=within(world), by=None)
    with pytest.raises(ValidationError, match="Record the receipt"):
        transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None)
    assert transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)
    assert not transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)  # double submit
    with pytest.raises(ValidationError, match="takes effect on"):
        transfer_confirm(transfer=transfer, on=D(2026, 3, 10), by=None)
    assert transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None)
    assert not transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None)
    member = Person.objects.get(pk=world.member.pk)
    assert member.branch_id == world.other_branch.pk and member.group_id is None
    history = list(
        Membership.objects.filter(person=member)
        .order_by("started_on")
        .values_list("branch_id", "started_on", "ended_on")
    )
    assert history == [
        (world.branch.pk, D(2020, 1, 1), D(2026, 3, 15)),
        (world.other_branch.pk, D(2026, 3, 15), None),
    ]
    # Rosters follow the effective date.
    on_14 = Membership.objects.current(D(2026, 3, 14)).filter(person=member).get()
    assert on_14.branch_id == world.branch.pk
    assert (
        Membership.objects.current(D(2026, 3, 15)).get(person=member).branch_id
        == world.other_branch.pk
    )


def test_a_secretary_leaving_the_branch_leaves_the_post(world):
    transfer = transfer_issue(data=within(world, person=world.secretary), by=None)
    transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)
    transfer_confirm(transfer=transfer, on=D(2026, 3, 15), by=None)
    post = Post.objects.get(person=world.secretary, organisation=world.branch)
    assert post.ended_on == D(2026, 3, 15)


def test_a_transfer_out_ends_the_membership(world):
    data = within(world, direction="out", to_branch=None, outside_organisation="某供电公司党支部")
    transfer = transfer_issue(data=data, by=None)
    transfer_receive(transfer=transfer, on=D(2026, 3, 10), by=None)
    transfer_confirm(transfer=transfer, on=D(2026, 3, 15), by=None)
    member = Person.objects.get(pk=world.member.pk)
    assert member.branch_id is None
    assert Membership.objects.get(person=member).ended_on == D(2026, 3, 15)


def test_a_member_coming_in_joins_the_branch(world):
    newcomer = PersonFactory(name="新来者")
    data = TransferData(
        person=newcomer,
        direction="in",
        letter_no="IN-1",
        issued_on=D(2026, 4, 1),
        effective_on=D(2026, 4, 1),
        to_branch=world.branch,
        outside_organisation="外单位党支部",
    )
    transfer = transfer_issue(data=data, by=None)
    transfer_receive(transfer=transfer, on=D(2026, 4, 2), by=None)
    transfer_confirm(transfer=transfer, on=D(2026, 4, 2), by=None)
    newcomer.refresh_from_db()
    assert newcomer.branch_id == world.branch.pk


def test_a_member_who_left_meanwhile_cannot_be_confirmed_and_nothing_moves(world):
    transfer = transfer_issue(data=within(world), by=None)
    transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)
    Person.objects.filter(pk=world.member.pk).update(branch=None)
    with pytest.raises(ValidationError, match="no longer a member"):
        transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    assert Membership.objects.get(person=world.member).ended_on is None


def test_a_cancelled_transfer_frees_the_person_and_cannot_be_received(world):
    transfer = transfer_issue(data=within(world), by=None)
    assert transfer_cancel(transfer=transfer, on=D(2026, 3, 2), by=None)
    with pytest.raises(ValidationError, match="cancelled transfer"):
        transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)
    transfer_issue(data=within(world, letter="002"), by=None)  # a new letter is possible


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_secretaries_issuing_at_once_make_one_letter_and_confirming_twice_moves_once(world):
    from tests.concurrency import at_once

    results, errors = at_once(
        lambda: transfer_issue(data=within(world), by=None),
        lambda: transfer_issue(data=within(world, letter="002"), by=None),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    transfer = Transfer.objects.get()
    transfer_receive(transfer=transfer, on=D(2026, 3, 2), by=None)
    results, errors = at_once(
        lambda: transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None),
        lambda: transfer_confirm(transfer=transfer, on=D(2026, 3, 20), by=None),
    )
    assert not errors and sorted(results) == [False, True]
    assert Membership.objects.filter(person=world.member).count() == 2
