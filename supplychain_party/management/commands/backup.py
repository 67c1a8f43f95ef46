"""`manage.py backup [--output FILE]`: the whole database in one file (see
`supplychain_party.backup`; README, "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from supplychain_party.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the database to one file: PostgreSQL with pg_dump in its custom format "
        "(restore with `manage.py restore FILE` or pg_restore), SQLite with its online "
        "backup. The file appears only once complete. Uploaded files (DJANGO_MEDIA_ROOT) "
        "are not in it: copy that directory as well."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="The file to write (default: party-<date>-<time>.dump, or .sqlite3 for "
            "SQLite, in the current directory). An existing file is replaced.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to back up (default: default).",
        )

    def handle(self, *args, **options) -> None:
        using = options["database"]
        output = options["output"]
        if output is None:
            suffix = "sqlite3" if connections[using].vendor == "sqlite" else "dump"
            output = Path(f"party-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}")
        try:
            result = database_backup(output=output, using=using)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {result.engine} database '{using}' to {result.path} "
            f"({result.size:,} bytes, {result.seconds:.1f} s)."
        )
