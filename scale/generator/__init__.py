"""A realistic provincial data set, scaled by a factor, written with bulk inserts.

At factor 1: about 10,000 organisations, 200,000 people, a year of meetings with
about a million attendance rows, 200,000 visits and 50,000 problems. Deterministic
for a seed (`random.Random(seed)`, no clock-dependent choices beyond `now`). Bulk
inserts write no simple_history rows: the data set has no past edits to audit.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from branches.models import Organisation
from meetings import summary as compliance_summary
from members import headcounts
from members.models import Person
from overview import summary as overview_summary

from . import tree as tree_module
from .liaison import LiaisonWriter
from .party_life import PartyLifeWriter
from .people import SUPERUSER, USERNAME_PREFIX, PeopleWriter

BATCH_SIZE = 5000


@dataclass
class Result:
    factor: float
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return sum(self.timings.values())


MARK = "scale:factor={factor};seed={seed}"


def generated_with() -> str:
    """What the root organisation says the data set was generated with ("" if none)."""
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    return root.description if root is not None else ""


def is_empty() -> bool:
    """No organisations and no people yet (the migrations' seed rows do not count)."""
    return not Organisation.objects.exists() and not Person.objects.exists()


def wipe() -> None:
    """Remove the tree, the people and everything that hangs off them (TRUNCATE ...
    CASCADE reaches every app's rows that point at them), and the generated logins."""
    tables = [Organisation._meta.db_table, Person._meta.db_table]
    with connection.cursor() as cursor:
        # Inside a transaction that just wrote rows (a test), their deferred foreign-key
        # checks must run before PostgreSQL lets the tables be truncated.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).delete()
    get_user_model().objects.filter(username=SUPERUSER).delete()


def generate(
    *,
    factor: float,
    seed: int = 2026,
    now: datetime.datetime | None = None,
    log: Callable[[str], None] = lambda message: None,
    analyze: bool = True,
) -> Result:
    """Write the data set in one transaction; returns the counts and each step's time."""
    if factor <= 0:
        raise ValueError("The factor must be positive.")
    now = now or timezone.now()
    result = Result(factor=factor, seed=seed)

    def step(name: str, action: Callable[[], dict[str, int] | None]) -> None:
        started = time.monotonic()
        counts = action() or {}
        result.timings[name] = time.monotonic() - started
        result.counts.update(counts)
        log(
            f"{name}: {', '.join(f'{k} {v:,}' for k, v in counts.items())} "
            f"({result.timings[name]:.1f} s)"
        )

    with transaction.atomic():
        planned = tree_module.plan(seed, factor)
        planned.root.org.description = MARK.format(factor=factor, seed=seed)

        def write_tree():
            tree_module.write(planned, batch_size=BATCH_SIZE)
            kinds: dict[str, int] = {}
            for unit in planned.units:
                kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
            return {"organisations": len(planned.units), **{f"{k}s": n for k, n in kinds.items()}}

        step("tree", write_tree)
        people = PeopleWriter(seed, planned, today=timezone.localdate(now), batch_size=BATCH_SIZE)
        step("people", lambda: (people.write(), people.counts)[1])
        party_life = PartyLifeWriter(seed, planned, now=now, batch_size=BATCH_SIZE)
        step("meetings", lambda: (party_life.write(), party_life.counts)[1])
        liaison = LiaisonWriter(seed, planned, now=now, batch_size=BATCH_SIZE)
        step("liaison", lambda: (liaison.write(), liaison.counts)[1])
    if analyze:
        # Fresh statistics, or the planner guesses from an empty table.
        step("analyze", _analyze)
    # The maintained summaries the roll-ups read, as the hourly run would write them.
    # The people went in by bulk insert, past the signals that keep the headcounts.
    step("headcounts", lambda: {"headcounts": headcounts.recount_all()})
    step(
        "compliance summary",
        lambda: {"compliance summaries": compliance_summary.refresh_all(timezone.localdate(now))},
    )
    # The overview's monthly figures over the generated twelve months (two calendar years).
    step(
        "overview figures",
        lambda: {
            "overview monthly figures": overview_summary.refresh_years(
                timezone.localdate(now) - datetime.timedelta(days=366), now=now
            )
        },
    )
    if analyze:
        # And of the summaries just written, which the pages read.
        step("analyze summaries", _analyze)
    return result


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
