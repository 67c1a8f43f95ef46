"""Pages of the service team app. Thin: access through `members.access` and
`serviceteam.access`, reads through `selectors`, writes through `services`."""

from .board import (
    board,
    board_export,
    import_confirm,
    import_discard,
    import_preview,
    import_upload,
    overview_panel,
    project_detail,
    template_download,
)
from .teams import (
    index,
    log_export,
    member_add,
    member_leave,
    organisation_panel,
    person_panel,
    record_create,
    record_edit,
    team_detail,
)

__all__ = [
    "board",
    "board_export",
    "import_confirm",
    "import_discard",
    "import_preview",
    "import_upload",
    "index",
    "log_export",
    "member_add",
    "member_leave",
    "organisation_panel",
    "overview_panel",
    "person_panel",
    "project_detail",
    "record_create",
    "record_edit",
    "team_detail",
    "template_download",
]
