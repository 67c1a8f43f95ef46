"""Study models, by concept: materials and their assignments and reads; the question
bank and quizzes; credit rules and the credit ledger."""

from .credits import CreditEntry, CreditRule
from .materials import Assignment, Material, ReadRecord
from .quizzes import Choice, Question, Quiz, QuizAttempt

__all__ = [
    "Assignment",
    "Choice",
    "CreditEntry",
    "CreditRule",
    "Material",
    "Question",
    "Quiz",
    "QuizAttempt",
    "ReadRecord",
]
