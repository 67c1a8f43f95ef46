"""Pages of the activities app. Thin: access through `members.access` and the scoped
selectors, writes through `services`."""

from .activities import activities_export, activity_create, activity_detail, activity_edit, index
from .documents import (
    document_create,
    document_detail,
    document_list,
    documents_export,
    version_download,
    version_upload,
)
from .panels import organisation_panel, person_panel
from .projects import progress_create, project_detail, project_list, projects_export

__all__ = [
    "activities_export",
    "activity_create",
    "activity_detail",
    "activity_edit",
    "document_create",
    "document_detail",
    "document_list",
    "documents_export",
    "index",
    "organisation_panel",
    "person_panel",
    "progress_create",
    "project_detail",
    "project_list",
    "projects_export",
    "version_download",
    "version_upload",
]
