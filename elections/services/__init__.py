"""Writes for terms and elections: the one path the pages, the admin and the demo use."""

from .elections import (
    candidate_add,
    candidate_remove,
    candidates_approve,
    default_entitled,
    election_create,
    election_result_confirm,
    election_update,
    election_version,
    eligible_candidates,
    vote_record,
)
from .terms import term_open

__all__ = [
    "candidate_add",
    "candidate_remove",
    "candidates_approve",
    "default_entitled",
    "election_create",
    "election_result_confirm",
    "election_update",
    "election_version",
    "eligible_candidates",
    "term_open",
    "vote_record",
]
