"""Taking a quiz: start an attempt (its questions drawn, a one-time token), submit it
once, score it, credit a pass."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person

from ..models import Choice, CreditRule, Question, Quiz, QuizAttempt, ReadRecord
from .credits import credit_award


def _bank(quiz: Quiz) -> list[int]:
    """Ids of the usable questions of the quiz's material (active, with a right answer)."""
    right = Choice.objects.filter(question=OuterRef("pk"), is_correct=True)
    return list(
        Question.objects.filter(material_id=quiz.material_id, is_active=True)
        .filter(Exists(right))
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )


def attempts_left(quiz: Quiz, submitted: int, passed: bool) -> bool:
    """Whether one more attempt is allowed after `submitted` ones."""
    if passed:
        return False
    return quiz.retake_until_passed or submitted < quiz.attempts_allowed


@transaction.atomic
def quiz_start(*, person: Person, quiz: Quiz) -> QuizAttempt:
    """The person's open attempt at the quiz, or a new one with its questions drawn.

    Refused when the quiz is closed, has no questions, the material is not read yet,
    or no attempt is left. The person's row is locked, so two starts at once make one
    attempt (the partial unique constraint guards it as well).
    """
    if not quiz.is_active:
        raise ValidationError(_("This quiz is closed."), code="closed")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_attempt = QuizAttempt.objects.filter(
        person=person, quiz=quiz, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    if not ReadRecord.objects.filter(person=person, material_id=quiz.material_id).exists():
        raise ValidationError(_("Mark the material as read before taking its quiz."), code="unread")
    done = QuizAttempt.objects.filter(person=person, quiz=quiz)
    submitted = done.count()
    passed = done.filter(passed=True).exists()
    if not attempts_left(quiz, submitted, passed):
        if passed:
            raise ValidationError(_("You have passed this quiz already."), code="passed")
        raise ValidationError(_("You have used every attempt at this quiz."), code="no_attempts")
    bank = _bank(quiz)
    if not bank:
        raise ValidationError(_("This quiz has no questions yet."), code="empty")
    token = uuid.uuid4()
    # Draw per attempt, reproducibly from its token; keep the bank's order on the page.
    drawn = random.Random(token.int).sample(bank, min(quiz.question_count, len(bank)))  # noqa: S311
    order = {pk: index for index, pk in enumerate(bank)}
    number = (done.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                person=person,
                quiz=quiz,
                number=number,
                token=token,
                question_ids=sorted(drawn, key=order.__getitem__),
            )
    except IntegrityError:
        return QuizAttempt.objects.get(person=person, quiz=quiz, submitted_at__isnull=True)


def score_answers(
    question_ids: Sequence[int], answers: Mapping[str, Sequence[int]]
) -> tuple[dict[str, bool], int]:
    """Right or wrong per question and the score in whole percent. A question is right
    when the chosen set is exactly the set of right choices (all of them, no other)."""
    right: dict[int, set[int]] = {pk: set() for pk in question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        right[question_id].add(choice_id)
    results = {str(pk): set(answers.get(str(pk), ())) == right[pk] for pk in question_ids}
    correct = sum(results.values())
    score = round(100 * correct / len(question_ids)) if question_ids else 0
    return results, score


def _clean_answers(attempt: QuizAttempt, answers: Mapping[str, Sequence[int]]) -> dict:
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    valid_choices: dict[int, set[int]] = {pk: set() for pk in attempt.question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=attempt.question_ids
    ).values_list("question_id", "pk"):
        valid_choices[question_id].add(choice_id)
    cleaned: dict[str, list[int]] = {}
    unanswered = 0
    for position, pk in enumerate(attempt.question_ids, start=1):
        try:
            chosen = sorted({int(c) for c in answers.get(str(pk), ())})
        except (TypeError, ValueError):
            chosen = [-1]  # not an answer of this question: refused below
        if not chosen:
            unanswered += 1
            continue
        if not set(chosen) <= valid_choices[pk]:
            raise ValidationError(
                _("Question %(n)d: choose among its answers.") % {"n": position},
                code="invalid_choice",
            )
        question = questions.get(pk)
        if question is not None and question.kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(
                _("Question %(n)d takes one answer only.") % {"n": position}, code="single"
            )
        cleaned[str(pk)] = chosen
    if unanswered:
        raise ValidationError(
            _("Answer every question before submitting (%(n)d left).") % {"n": unanswered},
            code="unanswered",
        )
    return cleaned


@transaction.atomic
def quiz_submit(
    *,
    person: Person,
    token: uuid.UUID | str,
    answers: Mapping[str, Sequence[int]],
    now: datetime.datetime | None = None,
) -> QuizAttempt:
    """Submit the attempt the one-time token names, once.

    The attempt's row is locked: of two submissions of the same form (one after the
    other, or at the same moment), the first scores it and the second is refused with
    "already submitted"; nothing of the second is saved. A pass earns the pass credit,
    full marks the full-marks credit (each once per material).
    """
    try:
        attempt = (
            QuizAttempt.objects.select_for_update()
            .select_related("quiz")
            .get(token=token, person=person)
        )
    except (QuizAttempt.DoesNotExist, ValidationError, ValueError):
        raise ValidationError(
            _("This quiz form is not valid; start the quiz again."), code="token"
        ) from None
    if attempt.is_submitted:
        raise ValidationError(
            _("This quiz was already submitted; your answers were recorded the first time."),
            code="already_submitted",
        )
    cleaned = _clean_answers(attempt, answers)
    results, score = score_answers(attempt.question_ids, cleaned)
    now = now or timezone.now()
    attempt.answers = cleaned
    attempt.results = results
    attempt.score = score
    attempt.passed = score >= attempt.quiz.pass_percent
    attempt.submitted_at = now
    attempt.save(update_fields=["answers", "results", "score", "passed", "submitted_at"])
    if attempt.passed:
        on = timezone.localdate(now)
        material = attempt.quiz.material
        credit_award(person=person, event=CreditRule.Event.QUIZ_PASSED, material=material, on=on)
        if score == 100:
            credit_award(
                person=person, event=CreditRule.Event.QUIZ_PERFECT, material=material, on=on
            )
    return attempt
