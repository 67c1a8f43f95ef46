"""Change lists over big tables count the whole table by PostgreSQL's estimate, and
anything filtered exactly."""

import pytest
from django.db import connection

from members.models import Person
from supplychain_party import pagination
from supplychain_party.pagination import LargeTablePaginator


@pytest.fixture
def analysed(world):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_person")
    return Person.objects.count()


def test_a_whole_big_table_is_counted_by_its_estimate(
    analysed, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 0)
    paginator = LargeTablePaginator(Person.objects.order_by("pk"), 50)
    with django_assert_num_queries(1) as captured:
        assert paginator.count == analysed
    assert "reltuples" in captured.captured_queries[0]["sql"]


def test_a_filtered_list_is_counted_exactly(analysed, monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 0)
    members = Person.objects.filter(status=Person.Status.FULL)
    assert LargeTablePaginator(members, 50).count == members.count() < analysed

