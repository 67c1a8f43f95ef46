"""The demo organisation: a materials company's party branches built along its supply
chain (see docs in /work/shared/DOMAIN.md), with people, posts, a pairing and logins.

`load()` creates whatever is missing and leaves every existing row as it is, so it
can run any number of times: people are keyed by employee number, organisations by
(name, kind) under their parent, logins by username. A login's password is set only
when the login is created; a password changed since is kept. Everything goes through
the services (`organisation_create`, `membership_start`, `post_assign`) in one
transaction, with fixed dates, so two runs give the same rows.

The data is deterministic: the people who hold posts or logins are written out
below; the rank and file are generated from fixed name pools by arithmetic, never
by chance.
"""

from . import loading, report, roster, tree
from .loading import load
from .report import Report
from .roster import (
    DEMO_PASSWORD,
    GIVEN_NAMES,
    LOGINS,
    PHONE_PREFIXES,
    ROSTERS,
    SURNAMES,
    F,
    LoginSpec,
    M,
    Named,
    PersonRow,
    Role,
    Roster,
    Status,
    people,
)
from .tree import (
    DEPARTMENT_NODES,
    JOBS,
    LEADERSHIP,
    ORGANISATIONS,
    PAIRING_TOPICS,
    PARTNER,
    PARTNERSHIP,
    START,
    Kind,
    OrgSpec,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEPARTMENT_NODES",
    "GIVEN_NAMES",
    "JOBS",
    "LEADERSHIP",
    "LOGINS",
    "ORGANISATIONS",
    "PAIRING_TOPICS",
    "PARTNER",
    "PARTNERSHIP",
    "PHONE_PREFIXES",
    "ROSTERS",
    "START",
    "SURNAMES",
    "F",
    "Kind",
    "LoginSpec",
    "M",
    "Named",
    "OrgSpec",
    "PersonRow",
    "Report",
    "Role",
    "Roster",
    "Status",
    "load",
    "loading",
    "people",
    "report",
    "roster",
    "tree",
]
