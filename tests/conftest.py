"""Personas, defined once: every role the portal knows, in a small tree.

    committee 物资公司党委 (secretary: `committee`)
    ├── general branch 采购供应党总支 (secretary: `general`)
    │   ├── branch 采购合同党支部 (secretary: `secretary`; member: `member`;
    │   │   └── party group 第一党小组           group leader: `group_leader`)
    │   └── branch 仓储配送党支部 (secretary: `other_secretary`; member: `other_member`)
    └── branch 综合管理党支部 (no login)

`superuser` sees all; `unlinked` is a login with no person in the register.

The world is built once and shared by consecutive tests, as Django's `setUpTestData`
shares its data: see "The shared world" below.
"""

import ast
import copy
import inspect
import os
import textwrap
from dataclasses import dataclass

import pytest
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from branches.models import BusinessNode, Organisation, Segment
from members.models import Person, Post
from tests.factories import UserFactory, make_leader, make_member, make_org

# The hooks for committing tests and the two workers of `make test`.
pytest_plugins = ("tests.workers",)

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


def build_world() -> World:
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


@pytest.fixture
def world(request, db) -> World:
    """The personas' tree: a copy of the shared world when this test may share it, else
    built for the test alone (see below)."""
    if request.node.stash.get(_ON_SHARED_WORLD, False):
        return copy.deepcopy(_shared_world.world)
    return build_world()


# --- The shared world -----------------------------------------------------------------
# Building the world takes ~0.15 s (fourteen organisations and people, their logins,
# memberships, posts and history) and ~1,400 tests ask for it. Consecutive tests that may
# share it get it from one transaction opened before their own: each test then runs in a
# savepoint rolled back at its end, as with Django's setUpTestData, and gets a deep copy
# of the World's objects, so what a test changes (rows or objects) never reaches the next
# one. The transaction is rolled back before any test that may not share it.
#
# A test may share it when it runs in a transaction rolled back at its end (not
# `transaction=True`, no live server), has no fixture of a wider scope that touches the
# database (the demo, the matrix's rows: they must stay outside the world), and nothing
# of its own runs before the world is built (a fixture travelling in time, writing rows)
# other than a fixture setting LANGUAGE_CODE, which the world's rows do not depend on.
# Any other test builds its own world as before; so does every test with SHARED_WORLD=0.

_ON_SHARED_WORLD = pytest.StashKey[bool]()
_SHAREABLE = pytest.StashKey[bool]()
# Fixtures from these modules do nothing a world built earlier would see.
_NEUTRAL_MODULES = (
    "_pytest.",
    "pytest_django.",
    "pytest_playwright.",
    "pytest_base_url.",
    "faker.",
    "hypothesis.",
    "tests.conftest",
)
# pytest-django's own wider-scoped fixtures (the test databases themselves).
_DATABASE_SET_UP = frozenset(
    {"django_db_setup", "django_db_blocker", "django_db_createdb", "django_db_keepdb"}
)


class _SharedWorld:
    def __init__(self) -> None:
        self.ready = False  # the test databases exist (django_db_setup has run)
        self.world: World | None = None
        self._atomic = None

    def open(self, blocker) -> bool:
        from django.db import connection, transaction

        if self.world is not None:
            return True
        if not self.ready or connection.in_atomic_block:
            return False  # a wider fixture holds a transaction: the test builds its own
        with blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self.world = build_world()
                # Its deferred foreign keys checked once here, not at the end of every test
                # (see tests/demo/conftest.py, checked_once).
                connection.check_constraints()
            except BaseException:
                self.close(blocker)
                raise
        return True

    def close(self, blocker) -> None:
        from django.db import transaction

        if self._atomic is None:
            return
        atomic, self._atomic, self.world = self._atomic, None, None
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_shared_world = _SharedWorld()


def _only_sets_language(fixturedef) -> bool:
    """A fixture whose whole body is `settings.LANGUAGE_CODE = "..."`."""
    if set(fixturedef.argnames) - {"settings"}:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fixturedef.func)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return bool(body) and all(
        isinstance(st, ast.Assign)
        and len(st.targets) == 1
        and isinstance(st.targets[0], ast.Attribute)
        and isinstance(st.targets[0].value, ast.Name)
        and st.targets[0].value.id == "settings"
        and st.targets[0].attr == "LANGUAGE_CODE"
        and isinstance(st.value, ast.Constant)
        for st in body
    )


def _may_share_world(item) -> bool:
    if _SHAREABLE in item.stash:
        return item.stash[_SHAREABLE]
    item.stash[_SHAREABLE] = shareable = _decide(item)
    return shareable


def _decide(item) -> bool:
    if os.environ.get("SHARED_WORLD", "1") == "0":  # SHARED_WORLD=0: every test builds its own
        return False
    names = getattr(item, "fixturenames", ())
    info = getattr(item, "_fixtureinfo", None)
    if "world" not in names or info is None:
        return False
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return False
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        kwargs = marker.kwargs
        if marker.args or set(kwargs) - {"transaction", "serialized_rollback"}:
            return False
        if kwargs.get("transaction") or kwargs.get("serialized_rollback"):
            return False

    defs = info.name2fixturedefs

    def fixturedef(name):
        return defs[name][-1] if defs.get(name) else None

    def closure(name, seen, visiting=None):
        """`name` and what it needs, in the order pytest sets them up."""
        visiting = set() if visiting is None else visiting
        if name in seen or name in visiting or fixturedef(name) is None:
            return
        visiting.add(name)  # a fixture overriding its parent names itself
        for arg in fixturedef(name).argnames:
            closure(arg, seen, visiting)
        seen[name] = None

    order: dict[str, None] = {}
    for name in names:
        closure(name, order)
    for name in order:
        fd = fixturedef(name)
        if fd.scope == "function" or name in _DATABASE_SET_UP:
            continue
        if not (getattr(fd.func, "__module__", "") or "").startswith("tests."):
            continue  # pytest's and its plugins' own
        needs: dict[str, None] = {}
        closure(name, needs)
        if _DATABASE_SET_UP & set(needs):
            return False  # a wider fixture writes rows: they must not sit under the world
    before_world = list(order)[: list(order).index("world")]
    world_needs: dict[str, None] = {}
    closure("world", world_needs)
    for name in before_world:
        if name in world_needs:
            continue
        fd = fixturedef(name)
        module = getattr(fd.func, "__module__", "") or ""
        if not (module + ".").startswith(_NEUTRAL_MODULES) and not _only_sets_language(fd):
            return False
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases; the shared world is rolled back before they go.
    Committing tests put the migrations' rows back in bulk (`restore_in_bulk`)."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    from tests.workers import restore_in_bulk

    _shared_world.ready = True
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", restore_in_bulk)
        yield
    _shared_world.close(django_db_blocker)
    _shared_world.ready = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Before any fixture of the test: the world's transaction must be the outer one.
    if _may_share_world(item):
        blocker = item.config.stash[blocking_manager_key]
        item.stash[_ON_SHARED_WORLD] = _shared_world.open(blocker)
    elif _shared_world.world is not None:
        _shared_world.close(item.config.stash[blocking_manager_key])
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # After the test's own fixtures (its savepoint) are gone; kept for the next test
        # only when that one shares it too.
        if _shared_world.world is not None and (nextitem is None or not _may_share_world(nextitem)):
            _shared_world.close(item.config.stash[blocking_manager_key])


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
    # What an earlier run or module left queued (no worker was consuming) is not this
    # module's work: it would run against rows that no longer exist, or count twice.
    app.control.purge()
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
    from django.db import connection, transaction

    from tests.demo.conftest import checked_once
    from tests.demo_data import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        printed = load_demo()
        checked_once(connection)  # once here, not again at the end of every test
        yield printed
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_loaded_once, db) -> str:
    """The demo, loaded (what `load_demo` printed)."""
    return _loaded_once
