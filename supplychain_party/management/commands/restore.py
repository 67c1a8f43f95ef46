"""`manage.py restore FILE [--force]`: a backup written by `manage.py backup`, restored
into an empty database (see `supplychain_party.backup`; README, "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from supplychain_party.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the database, which must be "
        "empty (no tables) unless --force is given. PostgreSQL restores in one "
        "transaction: on an error nothing changes. Run `manage.py migrate` afterwards "
        "when the backup is older than the code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that has tables: every object of the backup is "
            "dropped and re-created (SQLite: the whole file is replaced). What the "
            "database held is lost.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to restore into (default: default).",
        )

    def handle(self, *args, **options) -> None:
        using = options["database"]
        try:
            result = database_restore(source=options["file"], using=using, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {options['file']} into the {result.engine} database '{using}': "
            f"{result.tables} tables in {result.seconds:.1f} s"
            + (" (existing objects replaced)." if result.replaced else ".")
        )
        if result.unapplied:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is older than the code: {len(result.unapplied)} migrations "
                    f"are not applied (first: {result.unapplied[0]}). Run `manage.py migrate`."
                )
            )
