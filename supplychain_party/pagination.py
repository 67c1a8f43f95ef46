"""Pagination for lists over tables of hundreds of thousands of rows.

`COUNT(*)` of a whole big table reads all of it; PostgreSQL keeps an estimate of each
table's rows (`pg_class.reltuples`, refreshed by autovacuum's ANALYZE) that costs
nothing. The admin's change lists show a page count, not an audit figure, so a whole
table past `ESTIMATE_ABOVE` rows is counted by that estimate (in the same one query that
counts a smaller table exactly); a filtered, searched or
scoped list is counted exactly (its WHERE makes the estimate meaningless).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 20_000


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows of the queryset's table when above
    `ESTIMATE_ABOVE`, else its exact count: one query either way, so a change list
    runs as many queries on a small table as on a big one. None on another database."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        # The uncorrelated COUNT is an InitPlan, run only when the CASE reaches it.
        cursor.execute(
            f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "  # noqa: S608
            f"ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [ESTIMATE_ABOVE, queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


class LargeTablePaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if hasattr(queryset, "query") and not queryset.query.where:
            rows = estimated_rows(queryset)
            if rows is not None:
                return rows
        return super().count
