"""Writes for activities, joint projects and the document library (one path each)."""

from .activities import (
    ActivityData,
    SpeakerEntry,
    activity_create,
    activity_update,
    activity_version,
)
from .documents import document_create, validate_upload, version_add
from .projects import progress_add, project_create

__all__ = [
    "ActivityData",
    "SpeakerEntry",
    "activity_create",
    "activity_update",
    "activity_version",
    "document_create",
    "progress_add",
    "project_create",
    "validate_upload",
    "version_add",
]
