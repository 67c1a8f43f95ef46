"""Two secretaries (or a double submit) at the same moment: the locks on the person
and the record let one win, so a candidate never gets a third introducer and a
person never gets two open records."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from development.models import Candidacy, Introducer, Stage
from development.services import candidacy_open, development_advance
from members.models import Person
from tests.concurrency import at_once
from tests.factories import make_member

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_concurrent_introducers_on_one_seat_give_one(world):
    person = make_member(
        world.branch, status=Person.Status.CANDIDATE, name="发展对象", birth_date=D(1995, 1, 1)
    )
    c = Candidacy.objects.create(
        person=person,
        branch=world.branch,
        stage=Stage.CANDIDATE,
        applied_on=D(2024, 1, 1),
        activist_on=D(2024, 2, 1),
        candidate_on=D(2025, 2, 1),
    )
    development_advance(candidacy=c, step="introducers", people=[world.member], on=D(2025, 3, 1))
    a, b = make_member(world.branch, name="甲"), make_member(world.branch, name="乙")

    def add(p):
        return lambda: development_advance(
            candidacy=c, step="introducers", people=[p], on=D(2025, 3, 2)
        )

    results, errors = at_once(add(a), add(b))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert Introducer.objects.filter(candidacy=c).count() == 2


def test_a_double_submitted_application_opens_one_record(world):
    person = make_member(
        world.branch, status=Person.Status.MASSES, name="申请人", birth_date=D(1995, 1, 1)
    )

    def open_it():
        return candidacy_open(person=person, branch=world.branch, applied_on=D(2026, 1, 5))

    results, errors = at_once(open_it, open_it)
    assert len(results) == 1 and len(errors) == 1
    assert Candidacy.objects.filter(person=person).count() == 1
