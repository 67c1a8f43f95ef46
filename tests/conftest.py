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
import io
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.plugin import blocking_manager_key

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


# --- Tests that commit -------------------------------------------------------------------
def pytest_collection_modifyitems(config, items):
    """Every test that commits (`transaction=True`, `transactional_db`, the live server)
    puts back the rows the migrations seeded (`serialized_rollback`), as this suite's
    transactional tests are written to. One that does not leaves the tables emptied and
    the content types made again by post_migrate: every later serialized test then fails
    in its set-up (duplicate content types) and every `world` lacks its segments."""
    from pytest_django.plugin import validate_django_db

    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        if marker is not None:
            transaction, reset, databases, serialized, apps = validate_django_db(marker)
        else:
            transaction, reset, databases, serialized, apps = False, False, None, False, None
        committing = transaction or reset or {"transactional_db", "live_server"} & set(names)
        if not committing or serialized:
            continue
        item.add_marker(
            pytest.mark.django_db(
                transaction=True,
                reset_sequences=reset,
                databases=databases,
                serialized_rollback=True,
                available_apps=apps,
            ),
            append=False,
        )
    if hasattr(config, "workerinput"):  # a worker of `make test`: tell the scheduler
        parts = json.dumps({item.nodeid: _order_part(item) for item in items})
        target = _parts_file(config)
        scratch = target.with_name(f"{target.name}.{config.workerinput['workerid']}")
        scratch.write_text(parts, encoding="utf-8")
        scratch.replace(target)  # whole, whichever worker writes last


# --- Two workers (pytest-xdist, `make test`) ---------------------------------------------
# Each worker has its own test database and Celery queue (settings/test.py). Tests that
# share an expensive set-up run on one worker, so that it is made once there: the demo
# package (loaded once, tests/demo/conftest.py) and the fault tests (the committed demo and
# its backup, collectstatic; tests/faults/conftest.py). Each group is one unit of work;
# every other test is a unit of its own and goes to whichever worker is free.
#
# The units are handed out longest first where the order allows, so that neither worker
# is left with a long unit while the other has nothing to do:
#   1. the groups whose tests all roll back (the demo, five minutes);
#   2. the tests without a database, the known long ones first (the SQLite demo runs
#      `migrate` and `load_demo` in a subprocess: two minutes);
#   3. the other tests that roll back;
#   4. the groups holding a committing test (the faults, four minutes);
#   5. the other committing tests.
# Otherwise in the collection's order (pytest-django's). A test that commits leaves the
# tables empty (the next committing test puts the migrations' rows back when it starts),
# so on a worker no test that rolls back may follow one that commits, hence 3 before 4.
# (`--dist loadgroup` selects this; xdist's own `xdist_group` marks do not group under
# pytest 9, which ignores the node ids xdist rewrites.)
XDIST_GROUPS = {"tests/demo/": "demo", "tests/faults/": "faults"}
LONG_UNITS = ("tests/test_demo_sqlite.py::",)


def _order_part(item) -> int:
    """0: rolls back, 1: commits, 2: no database (pytest-django's order)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    if marker is not None and any(validate_django_db(marker)[:2]):
        return 1
    if {"transactional_db", "live_server"} & set(names):
        return 1
    return 0 if marker is not None or "db" in names else 2


def _parts_file(config) -> Path:
    """Where the workers leave each test's part for the scheduler (xdist's base temporary
    directory, which holds each worker's own)."""
    base = config._tmp_path_factory.getbasetemp()
    return (base.parent if hasattr(config, "workerinput") else base) / "xdist-parts.json"


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for prefix, group in XDIST_GROUPS.items():
                if nodeid.startswith(prefix):
                    return group
            return nodeid

        def schedule(self) -> None:
            if self.collection is not None or not self._check_nodes_have_same_collection():
                return super().schedule()
            self.collection = list(next(iter(self.registered_collections.values())))
            units: dict[str, dict[str, bool]] = {}
            for nodeid in self.collection:
                units.setdefault(self._split_scope(nodeid), {})[nodeid] = False
            first = {scope: self.collection.index(next(iter(u))) for scope, u in units.items()}
            known = json.loads(_parts_file(self.config).read_text(encoding="utf-8"))

            def rank(scope: str) -> tuple[int, bool, int]:
                parts = {known.get(nodeid, 1) for nodeid in units[scope]}
                group = scope in XDIST_GROUPS.values()
                if parts == {2}:
                    phase = 2
                elif 1 in parts:
                    phase = 4 if group else 5
                else:
                    phase = 1 if group else 3
                return (phase, not scope.startswith(LONG_UNITS), first[scope])

            for scope in sorted(units, key=rank):
                self.workqueue[scope] = units[scope]
            for _ in range(len(self.nodes) - len(self.workqueue)):
                self.assigned_work.popitem()[0].shutdown()  # more workers than work
            for node in self.nodes:
                self._assign_work_unit(node)
            for node in self.nodes:
                self._reschedule(node)
            if not self.workqueue:
                for node in self.nodes:
                    node.shutdown()

    return Groups(config, log)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases; the shared world is rolled back before they go.
    Committing tests put the migrations' rows back in bulk (`_restore_in_bulk`)."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    _shared_world.ready = True
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", _restore_in_bulk)
        yield
    _shared_world.close(django_db_blocker)
    _shared_world.ready = False


def _restore_in_bulk(creation, data: str) -> None:
    """Django's `deserialize_db_from_string`, one INSERT per table instead of an UPDATE
    and an INSERT per row.

    Every committing test starts by putting back the rows the migrations wrote (about
    900: permissions, content types, the regulations' rules, the beat schedule), which
    Django saves one by one: about a second a test, 45 s over the suite. The rows go in
    as they were serialised (`raw`: no field fills itself in, no signal fires, as with
    Django's raw saves), in the same transaction with the foreign keys checked at its
    end; a model with a parent table (none today) still goes row by row. The first
    committing test of a run finds the rows still there (no test has emptied the tables
    yet): a row already there is skipped, where Django's save would update it to the
    same values."""
    from django.core import serializers
    from django.db import transaction
    from django.db.models.constants import OnConflict

    connection = creation.connection
    alias = connection.alias
    rows: dict[type, list] = {}
    links = []
    for deserialized in serializers.deserialize("json", io.StringIO(data), using=alias):
        instance = deserialized.object
        rows.setdefault(type(instance), []).append(instance)
        for name, targets in (deserialized.m2m_data or {}).items():
            links.append((instance, name, targets))
    with transaction.atomic(using=alias):
        with connection.constraint_checks_disabled():
            for model, instances in rows.items():
                if model._meta.parents:
                    for instance in instances:
                        instance.save_base(raw=True, using=alias)
                    continue
                fields = model._meta.local_concrete_fields
                for start in range(0, len(instances), 500):
                    model._base_manager.using(alias)._insert(
                        instances[start : start + 500],
                        fields=fields,
                        raw=True,
                        using=alias,
                        on_conflict=OnConflict.IGNORE,
                    )
            for instance, name, targets in links:
                field = instance._meta.get_field(name)
                through = field.remote_field.through
                source = f"{field.m2m_field_name()}_id"
                target = f"{field.m2m_reverse_field_name()}_id"
                through._base_manager.using(alias).bulk_create(
                    [through(**{source: instance.pk, target: pk}) for pk in targets],
                    ignore_conflicts=True,
                )
        connection.check_constraints(
            table_names={model._meta.db_table for model in rows}
            | {
                instance._meta.get_field(name).remote_field.through._meta.db_table
                for instance, name, _targets in links
            }
        )


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
