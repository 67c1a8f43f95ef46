"""Pages for member development and two-way mentoring. Thin: access through
`members.access`, reads through `selectors`, writes through `services`."""

from .mentoring import mentor_pair_close, mentoring_export, mentoring_list
from .panels import organisation_panel, overview_panel, person_panel
from .pipeline import (
    candidacy_detail,
    candidacy_open,
    candidacy_step,
    figures,
    index,
    pipeline,
    pipeline_export,
)

__all__ = [
    "candidacy_detail",
    "candidacy_open",
    "candidacy_step",
    "figures",
    "index",
    "mentor_pair_close",
    "mentoring_export",
    "mentoring_list",
    "organisation_panel",
    "overview_panel",
    "person_panel",
    "pipeline",
    "pipeline_export",
]
