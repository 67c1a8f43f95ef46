"""Backing up and restoring the portal's database (`manage.py backup`, `manage.py restore`).

PostgreSQL, the production database, is dumped with `pg_dump` in its custom format (one
compressed file holding schema and data, read back with `pg_restore`). SQLite, the demo's
database, is copied with SQLite's own online backup, which is consistent while the portal
runs. Any other engine is refused with a clear error.

Nothing is ever half done: a backup is written next to its target and renamed into place
only once `pg_restore --list` has read it back, and a restore runs in one transaction, so
a failure leaves the database as it was. A restore goes into an empty database; a database
with tables is refused unless the caller forces it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

PG_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    tables: int
    seconds: float
    replaced: bool
    # Migrations of this code not applied in the restored database (an older backup):
    # `manage.py migrate` brings it up to date.
    unapplied: list[str] = field(default_factory=list)


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(
            f"The database '{using}' is {vendor}: backup and restore support PostgreSQL "
            "(pg_dump/pg_restore) and SQLite only. Use your database's own tools."
        )
    return vendor


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore).

    `PG_BIN_DIR` wins when set; then the PATH (Debian's wrapper picks the version that
    fits the server); then the newest of Debian's /usr/lib/postgresql/<version>/bin.
    The program must be at least as new as the server, or pg_dump refuses."""
    directory = os.environ.get("PG_BIN_DIR")
    if directory:
        candidate = Path(directory) / name
        if candidate.is_file():
            return str(candidate)
        raise BackupError(f"PG_BIN_DIR={directory} holds no {name}.")
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(part) for part in re.findall(r"\d+", p.parent.parent.name)],
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"{name} was not found: install PostgreSQL's client programs (Debian: "
        "apt-get install postgresql-client, of the server's major version or newer), "
        "or set PG_BIN_DIR to the directory that holds them."
    )


def _pg_connection(using: str) -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for the database `using`, as `dbshell` builds them."""
    settings_dict = connections[using].settings_dict
    options = settings_dict.get("OPTIONS", {})
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    args += ["--dbname", str(settings_dict["NAME"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(  # noqa: S603 - PostgreSQL's own programs, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit {completed.returncode}):\n"
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    return completed.stdout


def _sqlite_path(using: str) -> Path:
    name = str(connections[using].settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database '{using}' is not a file ({name!r}).")
    return Path(name)


def database_tables(*, using: str = "default") -> list[str]:
    """The tables of the database (PostgreSQL: those on the search path)."""
    try:
        with connections[using].cursor() as cursor:
            return connections[using].introspection.table_names(cursor)
    except DatabaseError as error:
        raise BackupError(
            f"Cannot open the database '{using}' ({str(error).strip()}). It must exist: "
            "create an empty one first (createdb) and point DATABASE_URL at it."
        ) from error


def database_backup(*, output: Path, using: str = "default") -> BackupResult:
    """Write a backup of the whole database `using` to `output` (schema and data).

    PostgreSQL: `pg_dump --format=custom`, without owners and grants, so it restores
    into a database of any role. SQLite: a copy of the file by SQLite's online backup.
    The file appears only when complete and read back."""
    engine = _engine(using)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    started = time.monotonic()
    try:
        if engine == "postgresql":
            args, env = _pg_connection(using)
            _run(
                [
                    pg_tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(partial),
                ],
                env,
            )
            _run([pg_tool("pg_restore"), "--list", str(partial)])  # readable to the end
        else:
            source = sqlite3.connect(_sqlite_path(using))
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=output,
        engine=engine,
        size=output.stat().st_size,
        seconds=time.monotonic() - started,
    )


def backup_engine(path: Path) -> str:
    """Which engine wrote the backup file, from its first bytes."""
    with Path(path).open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise BackupError(
        f"{path} is neither a pg_dump custom-format archive nor a SQLite database: "
        "restore only files written by `manage.py backup`."
    )


def _unapplied_migrations(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_restore(*, source: Path, using: str = "default", force: bool = False) -> RestoreResult:
    """Restore a backup written by `database_backup` into the database `using`.

    The database must be empty (no tables): a restore is for a new or re-created
    database. With `force`, a database with tables has every object of the backup
    dropped and re-created (PostgreSQL: `pg_restore --clean`; tables the backup does not
    hold stay); SQLite's file is replaced whole. PostgreSQL restores in one transaction:
    an error leaves the database as it was."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    engine = _engine(using)
    written_by = backup_engine(source)
    if written_by != engine:
        raise BackupError(
            f"{source} is a {written_by} backup but the database '{using}' is {engine}."
        )
    existing = database_tables(using=using)
    if existing and not force:
        shown = ", ".join(sorted(existing)[:5])
        raise BackupError(
            f"The database '{using}' is not empty: it has {len(existing)} tables "
            f"({shown}, ...). Restore into an empty database (createdb a new one and point "
            "DATABASE_URL at it), or pass --force to overwrite what it holds."
        )
    started = time.monotonic()
    connection = connections[using]
    connection.close()
    if engine == "postgresql":
        args, env = _pg_connection(using)
        command = [
            pg_tool("pg_restore"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]
        if existing:
            command += ["--clean", "--if-exists"]
        _run([*command, str(source)], env)
    else:
        backup = sqlite3.connect(source)
        target = sqlite3.connect(_sqlite_path(using))
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
    connection.close()
    return RestoreResult(
        engine=engine,
        tables=len(database_tables(using=using)),
        seconds=time.monotonic() - started,
        replaced=bool(existing),
        unapplied=_unapplied_migrations(using),
    )
