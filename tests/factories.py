"""factory_boy factories for the portal's data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from branches.models import Organisation
from branches.services import organisation_create
from members.models import Person
from members.services import membership_start, post_assign

START = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"成员{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    status = Person.Status.FULL
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    department = "物资部"


def make_org(name: str, kind: str, parent: Organisation | None = None, **fields) -> Organisation:
    return organisation_create(name=name, kind=kind, parent=parent, **fields)


def make_member(branch: Organisation, *, group: Organisation | None = None, user=None,
                **fields) -> Person:
    """A person who belongs to `branch` (and `group`) from START."""
    person = PersonFactory(user=user, **fields)
    membership_start(person=person, branch=branch, group=group, on=START)
    return person


def make_leader(organisation: Organisation, role: str, *, username: str, branch=None,
                group=None, **fields) -> Person:
    """A person with a login and a post in `organisation` (a member of `branch`/`group`)."""
    user = UserFactory(username=username)
    person = PersonFactory(user=user, **fields)
    if branch is not None:
        membership_start(person=person, branch=branch, group=group, on=START)
    post_assign(person=person, organisation=organisation, role=role, on=START)
    return person
