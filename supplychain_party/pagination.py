"""Pagination for lists over tables of hundreds of thousands of rows.

`COUNT(*)` of a whole big table reads all of it; PostgreSQL keeps an estimate of each
table's rows (`pg_class.reltuples`, refreshed by autovacuum's ANALYZE) that costs
nothing. The admin's change lists show a page count, not an audit figure, so a whole
table past `ESTIMATE_ABOVE` rows is counted by that estimate; a filtered, searched or
scoped list is counted exactly (its WHERE makes the estimate meaningless).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 50_000


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows of the queryset's table, or None (another
    database, or a table never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


class LargeTablePaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if hasattr(queryset, "query") and not queryset.query.where:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                return estimate
        return super().count
