"""Mass liaison and the problem ledger (问题挂号销账).

Contact points and pairings say whom a cadre or member looks after; visits and
campaigns collect opinions; an opinion may become a problem that is registered,
owned, solved, fed back to the person who raised it, and only then written off.
Every write goes through `liaison.services`; the schedules (`remind_after`,
`escalate_after`) live on the problem row and are swept by beat.
"""

from . import pairings, problems, visits
from .pairings import ContactPoint, Pairing, PairingQuerySet
from .problems import (
    OPEN_STATES,
    Escalation,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemQuerySet,
    ProblemState,
)
from .visits import Campaign, Opinion, Visit

__all__ = [
    "OPEN_STATES",
    "Campaign",
    "ContactPoint",
    "Escalation",
    "Opinion",
    "Pairing",
    "PairingQuerySet",
    "Problem",
    "ProblemCategory",
    "ProblemEvent",
    "ProblemQuerySet",
    "ProblemState",
    "Visit",
    "pairings",
    "problems",
    "visits",
]
