"""The subtree and segment figures (`SubtreeFigures`, `SegmentFigures`), added up from
the monthly figures and the compliance summary in SQL.

Called by `overview.summary.refresh` after it has written a year's monthly figures,
inside the same transaction: the roll-up reads the rows just written. No row goes
through Python; the statements are built from model table and column names, never
from input (hence the S608 exemptions).
"""

from __future__ import annotations

import datetime

from django.db import connection

from branches.models import Organisation
from meetings.models import ComplianceSummary

from .models import COMPLIANCE, COUNTERS, MonthlyFigures, SegmentFigures, SubtreeFigures

STEP = Organisation.steplen

_SUMMED = (*COUNTERS, *COMPLIANCE)
_FRESH = "overview_subtree_fresh"


def roll_up(months: list[datetime.date], now: datetime.datetime) -> None:
    """Recompute `SubtreeFigures` of `months` for every organisation from the monthly
    figures and the compliance summary, in SQL.

    Bottom-up, one INSERT ... SELECT per level of the tree into a temporary table: an
    organisation's subtree is its own monthly figures and compliance row plus its
    children's subtrees, so each level reads only its own rows and the level below.
    Then, as with the monthly figures, only new or changed rows are written to the
    table and the rows nothing produces any more are deleted. A dozen statements
    whatever the size of the tree, and no row goes through Python. (The statements are
    built from model table and column names, never from input: hence the S608
    exemptions.)"""
    subtree = SubtreeFigures._meta.db_table
    figures = MonthlyFigures._meta.db_table
    compliance = ComplianceSummary._meta.db_table
    organisation = Organisation._meta.db_table
    in_months = f"IN ({', '.join(['%s'] * len(months))})"
    zeros = ", ".join("0" for _name in COUNTERS)
    summed = ", ".join(f"SUM({name})" for name in _SUMMED)
    columns = ", ".join(_SUMMED)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_FRESH}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_FRESH} AS SELECT organisation_id, month, {columns}, "  # noqa: S608
            f"compliance_computed_at FROM {subtree} WHERE 1 = 0"
        )
        cursor.execute(f"SELECT MAX(depth) FROM {organisation}")  # noqa: S608
        deepest = cursor.fetchone()[0] or 0
        # A level: its own figures and compliance rows, and its children's subtrees.
        level = f"""
            INSERT INTO {_FRESH} (organisation_id, month, {columns}, compliance_computed_at)
            SELECT organisation_id, month, {summed}, MAX(compliance_computed_at) FROM (
                SELECT f.organisation_id, f.month, {", ".join(f"f.{n}" for n in COUNTERS)},
                    0 AS compliance_rows, 0 AS compliance_required, 0 AS compliance_held,
                    0 AS compliance_missing, NULL AS compliance_computed_at
                FROM {figures} f JOIN {organisation} o ON o.id = f.organisation_id
                WHERE o.depth = %s AND f.month {in_months}
                UNION ALL
                SELECT c.organisation_id, c.month, {zeros}, 1, c.required, c.held,
                    c.missing, c.computed_at
                FROM {compliance} c JOIN {organisation} o ON o.id = c.organisation_id
                WHERE o.depth = %s AND c.month {in_months}
                UNION ALL
                SELECT parent.id, s.month, {", ".join(f"s.{n}" for n in _SUMMED)},
                    s.compliance_computed_at
                FROM {_FRESH} s
                JOIN {organisation} child ON child.id = s.organisation_id
                JOIN {organisation} parent
                    ON parent.path = SUBSTR(child.path, 1, LENGTH(child.path) - {STEP})
                WHERE child.depth = %s
            ) AS parts
            GROUP BY organisation_id, month
            """  # noqa: S608
        for depth in range(deepest, 0, -1):
            cursor.execute(level, [depth, *months, depth, *months, depth + 1])
        if connection.vendor == "postgresql":  # autovacuum never analyses a temporary table
            cursor.execute(f"ANALYZE {_FRESH}")
        same = " AND ".join(
            f"NOT (t.{name} {distinct} s.{name})" for name in (*_SUMMED, "compliance_computed_at")
        )
        # Gone: nothing produces the row any more.
        cursor.execute(
            f"DELETE FROM {subtree} WHERE month {in_months} AND NOT EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{_FRESH} s WHERE s.organisation_id = {subtree}.organisation_id "
            f"AND s.month = {subtree}.month)",
            months,
        )
        # Changed.
        assignments = ", ".join(
            f"{name} = s.{name}" for name in (*_SUMMED, "compliance_computed_at")
        )
        cursor.execute(
            f"UPDATE {subtree} AS t SET {assignments}, computed_at = %s FROM {_FRESH} s "  # noqa: S608
            f"WHERE s.organisation_id = t.organisation_id AND s.month = t.month "
            f"AND NOT ({same})",
            [now],
        )
        # New.
        cursor.execute(
            f"INSERT INTO {subtree} (organisation_id, month, {columns}, compliance_computed_at, "  # noqa: S608
            f"computed_at) SELECT s.organisation_id, s.month, "
            f"{', '.join(f's.{n}' for n in _SUMMED)}, s.compliance_computed_at, %s "
            f"FROM {_FRESH} s WHERE NOT EXISTS (SELECT 1 FROM {subtree} t "
            f"WHERE t.organisation_id = s.organisation_id AND t.month = s.month)",
            [now],
        )
        cursor.execute(f"DROP TABLE {_FRESH}")
        _segments(cursor, months, now)


def _segments(cursor, months: list[datetime.date], now: datetime.datetime) -> None:
    """Rewrite `SegmentFigures` of `months` from the branches' `SubtreeFigures` just
    written: for each level above the branches, one INSERT ... SELECT adding up the
    branches below each organisation of that level by the branch's segment. (Built
    from table and column names only, hence the S608 exemptions.)"""
    segment = SegmentFigures._meta.db_table
    subtree = SubtreeFigures._meta.db_table
    organisation = Organisation._meta.db_table
    in_months = f"IN ({', '.join(['%s'] * len(months))})"
    columns = ", ".join(COUNTERS)
    cursor.execute(f"DELETE FROM {segment} WHERE month {in_months}", months)  # noqa: S608
    cursor.execute(
        f"SELECT DISTINCT depth FROM {organisation} WHERE kind IN (%s, %s)",  # noqa: S608
        [Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH],
    )
    level = f"""
        INSERT INTO {segment} (organisation_id, month, segment_id, {columns}, computed_at)
        SELECT above.id, s.month, branch.segment_id,
            {", ".join(f"SUM(s.{name})" for name in COUNTERS)}, %s
        FROM {subtree} s
        JOIN {organisation} branch ON branch.id = s.organisation_id
        JOIN {organisation} above ON above.path = SUBSTR(branch.path, 1, %s)
        WHERE branch.kind = %s AND branch.depth > %s AND above.kind IN (%s, %s)
            AND s.month {in_months}
        GROUP BY above.id, s.month, branch.segment_id
        """  # noqa: S608
    for (depth,) in cursor.fetchall():
        cursor.execute(
            level,
            [
                now,
                depth * STEP,
                Organisation.Kind.BRANCH,
                depth,
                Organisation.Kind.COMMITTEE,
                Organisation.Kind.GENERAL_BRANCH,
                *months,
            ],
        )
