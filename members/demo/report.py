"""What a demo load did: created rows, notes, totals and the demo logins."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .roster import DEMO_PASSWORD


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, person, what

    @property
    def nothing_new(self) -> bool:
        return not any(self.created.values())

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.nothing_new:
            out.append("Nothing new: the demo data were already loaded; nothing was changed.")
        else:
            made = ", ".join(f"{what}: {n}" for what, n in self.created.items())
            out.append(f"Created: {made}.")
        out.extend(f"Note: {note}" for note in self.notes)
        out.append("In the database now:")
        out.extend(f"  {what}: {n}" for what, n in self.totals.items())
        out.append(
            f"Demo logins (password {DEMO_PASSWORD}, set when the login is created; "
            "a password changed since is kept):"
        )
        out.extend(
            f"  {username:<10} {person:<6} {what}" for username, person, what in self.logins
        )
        return out
