"""The tests over the demo data share one load for the whole package (it takes
seconds: a year of party life in every app), inside a transaction rolled back when the
package ends; each test runs in a savepoint of its own."""

import pytest
from django.db import transaction

from tests.demo_data import load_demo


@pytest.fixture(scope="package")
def _loaded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)
