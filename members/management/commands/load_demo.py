"""`manage.py load_demo`: load the demo organisation (see `members.demo`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members import demo


class Command(BaseCommand):
    help = (
        "Load the demo organisation: a materials company's party committee, general "
        "branches, five branches along the supply chain, their people and posts, a "
        "pairing and demo logins. Creates only what is missing, so it is safe to rerun; "
        f"new logins get the password {demo.DEMO_PASSWORD}, existing ones keep theirs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (never on a production database: the "
            "demo logins have a published password).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo creates logins with "
                "a published password. Pass --force if this really is a demo database."
            )
        report = demo.load()
        for line in report.lines():
            self.stdout.write(line)
