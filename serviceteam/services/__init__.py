"""Writes of the service team app, by concept: the team (roster, log) and the supply
status board (weekly statuses, the sheet's import)."""

from .supply import (
    check_week,
    import_confirm,
    import_discard,
    import_read,
    import_upload,
    sheet_validate,
    weekly_status_record,
)
from .teams import (
    RecordData,
    service_record_create,
    service_record_update,
    service_record_version,
    service_team_create,
    team_member_add,
    team_member_leave,
)

__all__ = [
    "RecordData",
    "check_week",
    "import_confirm",
    "import_discard",
    "import_read",
    "import_upload",
    "service_record_create",
    "service_record_update",
    "service_record_version",
    "service_team_create",
    "sheet_validate",
    "team_member_add",
    "team_member_leave",
    "weekly_status_record",
]
