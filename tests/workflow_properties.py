"""What the workflow property tests share: fresh paths, examples in rolled-back
savepoints, and the check that a refused step changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, settings

D = datetime.date
PROPERTIES = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def fresh(world):
    for org in (world.committee, world.general, world.branch, world.other_branch):
        org.refresh_from_db()  # a sibling sorted before it renumbered its path


def rolled_back(run):
    """Run one example in a savepoint that is rolled back, so examples are independent."""
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


def row(obj) -> dict:
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def refused_changes_nothing(call, *watched) -> bool:
    """Run `call`; True when it succeeded. When it raises ValidationError, every
    watched row and count must be as before."""
    before = [w() for w in watched]
    try:
        call()
    except ValidationError:
        assert [w() for w in watched] == before
        return False
    return True
