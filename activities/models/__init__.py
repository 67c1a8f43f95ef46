from .activities import Activity, ActivityAttendance, ActivitySpeaker
from .documents import Document, DocumentVersion
from .projects import JointProject, ProjectProgress

__all__ = [
    "Activity",
    "ActivityAttendance",
    "ActivitySpeaker",
    "Document",
    "DocumentVersion",
    "JointProject",
    "ProjectProgress",
]
