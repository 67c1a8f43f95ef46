"""Pages for terms and elections. Thin: access through `members.access`, reads through
`selectors`, writes through `services`."""

from .elections import (
    election_approve,
    election_candidate_add,
    election_candidate_remove,
    election_confirm,
    election_create,
    election_detail,
    election_edit,
    election_vote,
)
from .terms import (
    index,
    organisation,
    organisation_panel,
    overview_panel,
    term_create,
    terms,
    terms_export,
)

__all__ = [
    "election_approve",
    "election_candidate_add",
    "election_candidate_remove",
    "election_confirm",
    "election_create",
    "election_detail",
    "election_edit",
    "election_vote",
    "index",
    "organisation",
    "organisation_panel",
    "overview_panel",
    "term_create",
    "terms",
    "terms_export",
]
