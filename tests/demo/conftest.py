"""The tests over the demo data share one load for the whole package (it takes
seconds: a year of party life in every app), inside a transaction rolled back when the
package ends; each test runs in a savepoint of its own."""

import pytest
from django.db import connection, transaction

from tests.demo_data import load_demo


@pytest.fixture(scope="package")
def _loaded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        printed = load_demo()
        checked_once(connection)
        yield printed
        transaction.set_rollback(True)


def checked_once(conn) -> None:
    """Check the deferred foreign keys of what was just written, once, at this level.

    Django's TestCase checks deferred constraints at the end of every test
    (`SET CONSTRAINTS ALL IMMEDIATE` inside the test's savepoint). PostgreSQL fires the
    pending checks there and, when the savepoint is rolled back, makes them pending again:
    without this every test after the load re-checked the whole demo (0.15 s a test,
    ~100 s over the package). Checked here they are done, and each test checks only its
    own rows."""
    conn.check_constraints()
