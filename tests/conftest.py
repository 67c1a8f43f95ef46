"""Personas, defined once: every role the portal knows, in a small tree.

    committee 物资公司党委 (secretary: `committee`)
    ├── general branch 采购供应党总支 (secretary: `general`)
    │   ├── branch 采购合同党支部 (secretary: `secretary`; member: `member`;
    │   │   └── party group 第一党小组           group leader: `group_leader`)
    │   └── branch 仓储配送党支部 (secretary: `other_secretary`; member: `other_member`)
    └── branch 综合管理党支部 (no login)

`superuser` sees all; `unlinked` is a login with no person in the register.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from branches.models import BusinessNode, Organisation, Segment
from members.models import Person, Post
from tests.factories import UserFactory, make_leader, make_member, make_org

Kind = Organisation.Kind
Role = Post.Role


@dataclass
class World:
    committee: Organisation
    general: Organisation
    branch: Organisation
    group: Organisation
    other_branch: Organisation
    functional: Organisation
    member: Person
    other_member: Person
    secretary: Person
    other_secretary: Person
    general_secretary: Person
    committee_secretary: Person
    group_leader: Person
    masses: Person


@pytest.fixture
def world(db) -> World:
    middle = Segment.objects.get(code="middle")
    back = Segment.objects.get(code="back")
    committee = make_org("物资公司党委", Kind.COMMITTEE)
    general = make_org("采购供应党总支", Kind.GENERAL_BRANCH, committee)
    branch = make_org(
        "采购合同党支部",
        Kind.BRANCH,
        general,
        segment=middle,
        nodes=list(BusinessNode.objects.filter(segment=middle)),
    )
    group = make_org("第一党小组", Kind.GROUP, branch)
    other_branch = make_org("仓储配送党支部", Kind.BRANCH, general, segment=back)
    functional = make_org(
        "综合管理党支部", Kind.BRANCH, committee, segment=Segment.objects.get(code="functional")
    )

    member = make_member(branch, group=group, user=UserFactory(username="member"), name="张党员")
    other_member = make_member(
        other_branch, user=UserFactory(username="other_member"), name="李党员"
    )
    masses = make_member(branch, status=Person.Status.MASSES, name="王群众")
    secretary = make_leader(
        branch, Role.SECRETARY, username="secretary", branch=branch, name="赵书记"
    )
    other_secretary = make_leader(
        other_branch, Role.SECRETARY, username="other_secretary", branch=other_branch, name="钱书记"
    )
    general_secretary = make_leader(general, Role.SECRETARY, username="general", name="孙总支")
    committee_secretary = make_leader(
        committee, Role.SECRETARY, username="committee", name="周党委"
    )
    group_leader = make_leader(
        group, Role.GROUP_LEADER, username="group_leader", branch=branch, group=group, name="吴组长"
    )
    return World(
        committee,
        general,
        branch,
        group,
        other_branch,
        functional,
        member,
        other_member,
        secretary,
        other_secretary,
        general_secretary,
        committee_secretary,
        group_leader,
        masses,
    )


PERSONAS = (
    "anonymous",
    "unlinked",
    "member",
    "group_leader",
    "other_secretary",
    "secretary",
    "general",
    "committee",
    "superuser",
)


@pytest.fixture
def login(world, client):
    """login("secretary") -> a client logged in as that persona."""

    def _login(persona: str) -> Client:
        c = Client()
        if persona == "anonymous":
            return c
        if persona == "superuser":
            user = UserFactory(username="superuser", is_staff=True, is_superuser=True)
        elif persona == "unlinked":
            user = UserFactory(username="unlinked")
        else:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(username=persona)
        c.force_login(user)
        return c

    return _login


@pytest.fixture
def superuser(login):
    return login("superuser")


@pytest.fixture(scope="module")
def celery_worker_thread():
    """A real Celery worker (solo pool, in a thread) consuming from the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from supplychain_party.celery import app

    app.loader.import_module("celery.contrib.testing.tasks")  # registers celery.ping
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=10
    ) as worker:
        yield worker


@pytest.fixture
def broker_down():
    """Redis unreachable for real: Celery's producer points at a closed port, so queueing
    meets a refused connection, not a stub. Yields `back()`, which points it at the real
    broker again (the fixture's teardown does too)."""
    from supplychain_party.celery import app

    def reconnect(url: str) -> None:
        app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
        app._pool = None  # the connection pool is made again from the URL
        app.amqp._producer_pool = None

    url = app.conf.broker_url
    reconnect("redis://127.0.0.1:1/0")
    yield lambda: reconnect(url)
    reconnect(url)


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it takes seconds: a year of party life),
    inside a transaction rolled back when the module ends; each test then runs in a
    savepoint of its own, as Django's TestCase does with setUpTestData."""
    from django.db import transaction

    from tests.demo_data import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_loaded_once, db) -> str:
    """The demo, loaded (what `load_demo` printed)."""
    return _loaded_once
