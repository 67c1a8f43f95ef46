"""Study pages. Thin: access through `members.access`, reads through `selectors`,
writes through `services`."""

from .leaders import (
    completion,
    completion_export,
    material_assign,
    material_create,
    material_list,
    materials_export,
)
from .members import (
    attempt,
    index,
    material_detail,
    material_file,
    material_read,
    quiz_start,
    unread,
)
from .rankings import (
    my_credits,
    organisation_panel,
    overview_panel,
    person_panel,
    ranking,
    ranking_export,
)

__all__ = [
    "attempt",
    "completion",
    "completion_export",
    "index",
    "material_assign",
    "material_create",
    "material_detail",
    "material_file",
    "material_list",
    "material_read",
    "materials_export",
    "my_credits",
    "organisation_panel",
    "overview_panel",
    "person_panel",
    "quiz_start",
    "ranking",
    "ranking_export",
    "unread",
]
