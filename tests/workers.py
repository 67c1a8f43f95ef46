"""How the suite runs: tests that commit, and the two workers of `make test`.

A pytest plugin of the root conftest (`pytest_plugins`): the hooks that mark every
committing test for serialised rollback, hand the tests out to the two pytest-xdist
workers, and put the migrations' rows back in bulk for each committing test.
"""

import io
import json
from pathlib import Path

import pytest


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


def restore_in_bulk(creation, data: str) -> None:
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
