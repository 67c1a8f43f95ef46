"""manage.py bench_probe {generate,pages,queries,jobs}: the in-database steps of the
benchmark, each printing one JSON object on its last line (see scale/bench/run.py)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

from django.core.management.base import BaseCommand

from scale import generator
from scale.bench import probe


class Command(BaseCommand):
    help = "One in-database step of `make bench` (used by scale/bench/run.py)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "step", choices=["generate", "pages", "queries", "jobs", "admin", "explain"]
        )
        parser.add_argument("--factor", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, step: str, factor: float, seed: int, **options) -> None:
        if step == "generate":
            out = {"generated": False, "seconds": 0.0}
            wanted = generator.MARK.format(factor=factor, seed=seed)
            if not generator.is_empty() and generator.generated_with() != wanted:
                # A bench database generated at another size: start it again.
                self.stderr.write(
                    f"replacing {generator.generated_with() or 'other data'} with {wanted}"
                )
                generator.wipe()
            if generator.is_empty():
                started = time.monotonic()
                result = generator.generate(factor=factor, seed=seed, log=self.stderr.write)
                out = {
                    "generated": True,
                    "seconds": time.monotonic() - started,
                    "counts": result.counts,
                }
        elif step == "pages":
            people = probe.personas()
            pages = probe.key_pages(people)
            sessions = {
                name: probe.session_for(user)
                for name, user in people.items()
                if not name.startswith("_")
            }
            out = {
                "pages": [asdict(p) for p in pages],
                "sessions": sessions,
                "sizes": probe.sizes(),
                "generated_with": generator.generated_with(),
            }
        elif step == "queries":
            people = probe.personas()
            out = {"queries": probe.count_queries(probe.key_pages(people), people)}
        elif step == "explain":
            people = probe.personas()
            out = {"explain": probe.explain(probe.key_pages(people), people)}
        elif step == "admin":
            out = {
                "admin": [
                    {**asdict(check), "problems": check.problems} for check in probe.admin_sweep()
                ]
            }
        else:
            out = {"jobs": probe.as_dicts(probe.time_jobs())}
        self.stdout.write(json.dumps(out, ensure_ascii=False))
