"""The service team (its roster and service log) and the key-project supply status board."""

from .supply import (
    ContractStage,
    ImportBatch,
    KeyProject,
    TenderingStage,
    WeeklyStatus,
    week_start,
)
from .teams import ServiceRecord, ServiceTeam, TeamMember

__all__ = [
    "ContractStage",
    "ImportBatch",
    "KeyProject",
    "ServiceRecord",
    "ServiceTeam",
    "TeamMember",
    "TenderingStage",
    "WeeklyStatus",
    "week_start",
]
