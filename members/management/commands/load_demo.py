"""`manage.py load_demo`: load the demo organisation (see `members.demo`)."""

from django.core.management.base import BaseCommand

from members import demo


class Command(BaseCommand):
    help = (
        "Load the demo organisation: a materials company's party committee, general "
        "branches, five branches along the supply chain, their people and posts, a "
        "pairing and demo logins. Creates only what is missing, so it is safe to rerun; "
        f"new logins get the password {demo.DEMO_PASSWORD}, existing ones keep theirs."
    )

    def handle(self, *args, **options) -> None:
        report = demo.load()
        for line in report.lines():
            self.stdout.write(line)
