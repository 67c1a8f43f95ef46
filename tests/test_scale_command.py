"""The generate_province command and the generator's determinism (on an empty
database: the other generator tests share one generated data set)."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from branches.models import Organisation
from liaison.models import Problem
from meetings.models import Attendance, Meeting
from members.models import Person
from scale import generator
from tests.factories import make_org

Kind = Organisation.Kind


def _fingerprint() -> tuple:
    return (
        tuple(Organisation.objects.values_list("path", "name", "kind")),
        tuple(
            Person.objects.order_by("employee_no").values_list(
                "employee_no", "name", "status", "branch__path", "group__path"
            )
        ),
        sorted(Meeting.objects.values_list("organisation__path", "kind", "held_at", "status")),
        Attendance.objects.filter(status="present").count(),
        sorted(
            Problem.objects.values_list(
                "organisation__path", "registered_at", "title", "state", "deadline", "owner__name"
            )
        ),
    )


@pytest.mark.django_db
def test_it_makes_the_same_data_set_for_the_same_seed():
    now = timezone.now()
    generator.generate(factor=0.01, seed=5, now=now, analyze=False)
    first = _fingerprint()
    generator.wipe()
    generator.generate(factor=0.01, seed=5, now=now, analyze=False)
    assert _fingerprint() == first
    generator.wipe()
    generator.generate(factor=0.01, seed=6, now=now, analyze=False)
    assert _fingerprint() != first


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_has_data_unless_forced(capsys):
    make_org("已有党委", Kind.COMMITTEE)
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_province", factor=0.005, no_analyze=True)
    assert Organisation.objects.count() == 1

    call_command("generate_province", factor=0.005, force=True, no_analyze=True)
    assert not Organisation.objects.filter(name="已有党委").exists()
    assert Person.objects.exists()
    output = capsys.readouterr().out
    assert "people" in output and "done in" in output


@pytest.mark.django_db
def test_the_command_refuses_a_factor_that_is_not_positive():
    with pytest.raises(CommandError, match="positive"):
        call_command("generate_province", factor=0)
