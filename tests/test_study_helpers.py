"""Shared set-up for the study tests (no tests here): materials, quizzes, answers."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from study.models import Choice, Material, Question, Quiz, QuizAttempt
from study.services import material_assign, material_create

PUBLISHED = datetime.date(2026, 5, 1)
DUE = datetime.date(2026, 5, 31)
PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "doc.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_material(
    organisation,
    *,
    title: str = "学习资料",
    assign_to=None,
    kind: str = Material.Kind.TOPIC,
    published_on=PUBLISHED,
    due_on=DUE,
    **fields,
) -> Material:
    material = material_create(
        organisation=organisation,
        title=title,
        kind=kind,
        published_on=published_on,
        by=None,
        **fields,
    )
    if assign_to is not False:
        material_assign(
            material=material, organisation=assign_to or organisation, due_on=due_on, by=None
        )
    return material


def make_quiz(material: Material, *, questions: int = 5, pass_percent: int = 60, **fields) -> Quiz:
    """A quiz over `questions` questions: odd ones single choice (one right of three),
    even ones multiple choice (two right of three)."""
    quiz = Quiz.objects.create(
        material=material, question_count=questions, pass_percent=pass_percent, **fields
    )
    for n in range(1, questions + 1):
        multiple = n % 2 == 0
        question = Question.objects.create(
            material=material,
            text=f"题目{n}",
            position=n,
            kind=Question.Kind.MULTIPLE if multiple else Question.Kind.SINGLE,
        )
        for k in range(3):
            Choice.objects.create(
                question=question,
                text=f"题目{n}选项{k}",
                position=k,
                is_correct=(k < 2) if multiple else (k == 0),
            )
    return quiz


def right(question_id: int) -> list[int]:
    return list(
        Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True)
    )


def wrong(question_id: int) -> list[int]:
    return list(
        Choice.objects.filter(question_id=question_id, is_correct=False).values_list(
            "pk", flat=True
        )[:1]
    )


def answers(attempt: QuizAttempt, *, wrong_count: int = 0) -> dict[str, list[int]]:
    """Right answers to every question but the first `wrong_count`."""
    return {
        str(pk): (wrong(pk) if n < wrong_count else right(pk))
        for n, pk in enumerate(attempt.question_ids)
    }
