from .candidacy import (
    OPEN_STAGES,
    Assessment,
    Candidacy,
    CultivatingContact,
    Event,
    Introducer,
    Stage,
)
from .mentoring import MentorPair
from .rules import REGULATION, DevelopmentRule

__all__ = [
    "OPEN_STAGES",
    "REGULATION",
    "Assessment",
    "Candidacy",
    "CultivatingContact",
    "DevelopmentRule",
    "Event",
    "Introducer",
    "MentorPair",
    "Stage",
]
