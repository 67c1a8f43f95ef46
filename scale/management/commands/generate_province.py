"""manage.py generate_province --factor F [--seed N] [--force]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from scale import generator


class Command(BaseCommand):
    help = (
        "Generate a realistic provincial data set scaled by --factor (1: about 10,000 "
        "organisations, 200,000 people, a million attendance rows, 200,000 visits, 50,000 "
        "problems). Refuses a database that already has organisations or people unless "
        "--force, which first removes them and everything that hangs off them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--factor", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Wipe existing organisations, people and their records first.",
        )
        parser.add_argument(
            "--no-analyze", action="store_true", help="Skip ANALYZE after loading (tests)."
        )

    def handle(
        self, *args, factor: float, seed: int, force: bool, no_analyze: bool, **options
    ) -> None:
        if factor <= 0:
            raise CommandError("--factor must be positive.")
        if not generator.is_empty():
            if not force:
                raise CommandError(
                    "The database already has organisations or people; use --force to "
                    "replace them (this deletes them and every record that refers to them)."
                )
            started = time.monotonic()
            generator.wipe()
            self.stdout.write(f"wiped the existing data ({time.monotonic() - started:.1f} s)")
        self.stdout.write(f"generating at factor {factor} with seed {seed} ...")
        result = generator.generate(
            factor=factor, seed=seed, log=self.stdout.write, analyze=not no_analyze
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"done in {result.elapsed:.1f} s: "
                + ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
            )
        )
