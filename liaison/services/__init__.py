"""Writes for mass liaison and the problem ledger: the one path the web, the admin and
the demo use. Each function validates before it writes and writes inside one
transaction, so a refused input leaves nothing half-saved.

A problem moves only through `problem_transition`, driven by the `MOVES` table: the
states a move starts from, the state it leads to, and who may make it. Every move
writes a `ProblemEvent`. The sweeps (reminders, escalations) are in `liaison.deadlines`.
"""

from ..models import (  # the models this module exposed before the split
    OPEN_STATES,
    Campaign,
    ContactPoint,
    Opinion,
    Pairing,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemState,
    Visit,
)
from . import pairings, problems, visits
from .pairings import contact_point_create, pairing_create, pairing_end
from .problems import (
    ACTION_LABELS,
    MOVES,
    PROBLEM_ASSIGNED,
    Action,
    Actor,
    Feedback,
    Move,
    State,
    actors_for,
    allowed_actions,
    problem_give_feedback,
    problem_register,
    problem_reopen,
    problem_resolve,
    problem_start,
    problem_transition,
    problem_write_off,
)
from .visits import (
    VisitData,
    campaign_create,
    opinion_record,
    people_within_reach,
    visit_file,
    visit_review,
    visit_update,
    visit_version,
)

__all__ = [
    "ACTION_LABELS",
    "MOVES",
    "OPEN_STATES",
    "PROBLEM_ASSIGNED",
    "Action",
    "Actor",
    "Campaign",
    "ContactPoint",
    "Feedback",
    "Move",
    "Opinion",
    "Pairing",
    "Problem",
    "ProblemCategory",
    "ProblemEvent",
    "ProblemState",
    "State",
    "Visit",
    "VisitData",
    "actors_for",
    "allowed_actions",
    "campaign_create",
    "contact_point_create",
    "opinion_record",
    "pairing_create",
    "pairing_end",
    "pairings",
    "people_within_reach",
    "problem_give_feedback",
    "problem_register",
    "problem_reopen",
    "problem_resolve",
    "problem_start",
    "problem_transition",
    "problem_write_off",
    "problems",
    "visit_file",
    "visit_review",
    "visit_update",
    "visit_version",
    "visits",
]
