"""Writes for study, by concept: materials and reads, quizzes, credits. Views, the
admin, the demo and tasks call these; none repeats them."""

from .credits import credit_award
from .materials import (
    material_assign,
    material_create,
    material_mark_read,
    validate_material_file,
)
from .quizzes import quiz_start, quiz_submit, score_answers

__all__ = [
    "credit_award",
    "material_assign",
    "material_create",
    "material_mark_read",
    "quiz_start",
    "quiz_submit",
    "score_answers",
    "validate_material_file",
]
