"""Backup and restore: `manage.py backup` of the demo, `manage.py restore` into a fresh,
empty database, and the two hold the same rows, table by table.

Each command runs as an operator runs it (a subprocess with DATABASE_URL). The comparison
is made in SQL on both databases: the row count of every table, a checksum of every
table's rows (each row as text, sorted), and every sequence's position, so the next
insert after a restore does not collide with a restored row.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse

import psycopg2
import pytest
from django.core.management import CommandError, call_command

from tests.faults.conftest import BASE_DIR, database_url, report

pytestmark = pytest.mark.faults

# Tables whose loss would hurt most: people, memberships, party life, the ledger, dues
# and their history. The comparison covers every table; these must also hold rows.
KEY_TABLES = (
    "members_person",
    "members_membership",
    "members_historicalperson",
    "meetings_meeting",
    "meetings_attendance",
    "meetings_historicalmeeting",
    "meetings_historicalattendance",
    "liaison_problem",
    "liaison_problemevent",
    "liaison_historicalproblem",
    "dues_payment",
    "notifications_notification",
)


def manage(*args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.test",
        "DATABASE_URL": database,
    }
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(url: str) -> dict:
    """Per table: (rows, md5 of its rows); per sequence: its last value."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            tables = [name for (name,) in cursor.fetchall()]
            rows = {}
            for table in tables:
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "  # noqa: S608
                    f"ORDER BY t::text), '')) FROM \"{table}\" t"
                )
                rows[table] = cursor.fetchone()
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1"
            )
            sequences = dict(cursor.fetchall())
    finally:
        conn.close()
    return {"tables": rows, "sequences": sequences}


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_backed_up_and_restored_into_an_empty_database_is_the_same(
    committed_demo, tmp_path
):
    source = database_url()
    fresh_name = f"{urllib.parse.urlsplit(source).path.lstrip('/')}_restored"
    fresh = with_database(source, fresh_name)
    server = psycopg2.connect(with_database(source, "postgres"))
    server.autocommit = True
    dump = tmp_path / "party.dump"
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
            cursor.execute(f'CREATE DATABASE "{fresh_name}"')

        started = time.monotonic()
        backed_up = manage("backup", "--output", str(dump), database=source)
        backup_seconds = time.monotonic() - started
        assert backed_up.returncode == 0, backed_up.stderr
        assert dump.read_bytes().startswith(b"PGDMP")

        started = time.monotonic()
        restored = manage("restore", str(dump), database=fresh)
        restore_seconds = time.monotonic() - started
        assert restored.returncode == 0, restored.stderr
        assert "migrate" not in restored.stdout  # the backup is as new as the code
        # The restored schema is the code's: no migration is missing.
        assert manage("migrate", "--check", database=fresh).returncode == 0

        before, after = snapshot(source), snapshot(fresh)
        assert after["tables"].keys() == before["tables"].keys()
        differ = {
            table: (before["tables"][table], after["tables"][table])
            for table in before["tables"]
            if before["tables"][table] != after["tables"][table]
        }
        assert differ == {}
        assert after["sequences"] == before["sequences"]
        empty_keys = [table for table in KEY_TABLES if before["tables"][table][0] == 0]
        assert empty_keys == [], "the demo should fill the key tables"

        # A second restore into the now full database is refused.
        again = manage("restore", str(dump), database=fresh)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}" WITH (FORCE)')
        server.close()

    report(
        "backup_restore",
        tables=len(before["tables"]),
        rows=sum(count for count, _md5 in before["tables"].values()),
        key_tables={table: before["tables"][table][0] for table in KEY_TABLES},
        sequences=len(before["sequences"]),
        dump_bytes=dump.stat().st_size if dump.exists() else None,
        backup_seconds=round(backup_seconds, 2),
        restore_seconds=round(restore_seconds, 2),
    )


def test_a_restore_into_a_database_with_tables_is_refused(db, tmp_path):
    dump = tmp_path / "party.dump"
    dump.write_bytes(b"PGDMP not a real archive")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(dump))


def test_a_file_not_written_by_backup_is_refused(db, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(CommandError, match="neither a pg_dump"):
        call_command("restore", str(other), force=True)


def test_sqlite_is_backed_up_and_restored_with_its_online_backup(tmp_path):
    """The demo's SQLite: the same commands, SQLite's own backup instead of pg_dump."""
    source, target = tmp_path / "demo.sqlite3", tmp_path / "restored.sqlite3"
    conn = sqlite3.connect(source)
    conn.execute("CREATE TABLE members_person (id integer primary key, name text)")
    conn.executemany("INSERT INTO members_person (name) VALUES (?)", [("张三",), ("李四",)])
    conn.commit()
    conn.close()
    dump = tmp_path / "demo.backup"

    backed_up = manage("backup", "-o", str(dump), database=f"sqlite:///{source}")
    assert backed_up.returncode == 0, backed_up.stderr
    restored = manage("restore", str(dump), database=f"sqlite:///{target}")
    assert restored.returncode == 0, restored.stderr
    rows = sqlite3.connect(target).execute("SELECT name FROM members_person ORDER BY id")
    assert [name for (name,) in rows] == ["张三", "李四"]
    again = manage("restore", str(dump), database=f"sqlite:///{target}")
    assert again.returncode != 0 and "not empty" in again.stderr
