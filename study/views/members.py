"""A member's study: assigned materials, reading, quizzes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import scope_for

from .. import selectors, services
from ..forms import answers_from
from ..models import Choice, Material, Question, Quiz, QuizAttempt, ReadRecord
from ..services.quizzes import attempts_left


def get_material_or_404(request: HttpRequest, pk: int) -> Material:
    """The material, or 404 when it is neither assigned to where the user sits nor
    within what they lead."""
    try:
        return (
            selectors.visible_materials(scope_for(request.user))
            .select_related("organisation")
            .get(pk=pk)
        )
    except Material.DoesNotExist:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My study: the assigned materials, unread first, with due dates and quiz status;
    my credits this month and year; the leaders' links."""
    scope = scope_for(request.user)
    person = scope.person
    today = timezone.localdate()
    context = {"scope": scope, "person": person, "today": today}
    if person is not None:
        page = Paginator(selectors.assigned_materials(person), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            page=page,
            month_credits=selectors.credits_between(person, selectors.month_of(today)),
            year_credits=selectors.credits_between(person, selectors.year_of(today)),
        )
    return render(request, "study/index.html", context)


@login_required
def unread(request: HttpRequest) -> HttpResponse:
    """What the member has still to read (the monthly study reminder links here)."""
    scope = scope_for(request.user)
    person = scope.person
    page = None
    if person is not None:
        page = Paginator(selectors.unread_materials(person), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "study/unread.html",
        {"person": person, "page": page, "today": timezone.localdate(), "scope": scope},
    )


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    material = get_material_or_404(request, pk)
    person = scope.person
    quiz = Quiz.objects.filter(material=material, is_active=True).first()
    read = attempts = None
    can_start = False
    if person is not None:
        read = ReadRecord.objects.filter(person=person, material=material).first()
        if quiz is not None:
            attempts = list(QuizAttempt.objects.filter(person=person, quiz=quiz).order_by("number"))
            submitted = [a for a in attempts if a.is_submitted]
            open_attempt = len(submitted) < len(attempts)
            can_start = open_attempt or attempts_left(
                quiz, len(submitted), any(a.passed for a in submitted)
            )
    assignments = material.assignments.select_related("organisation").order_by("due_on")
    return render(
        request,
        "study/material_detail.html",
        {
            "material": material,
            "quiz": quiz,
            "read": read,
            "attempts": attempts,
            "can_start": can_start,
            "person": person,
            "assignments": assignments,
            "manages": scope.covers(material.organisation),
        },
    )


@login_required
@require_POST
def material_read(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope_for(request.user).person
    material = get_material_or_404(request, pk)
    if person is None:
        raise Http404
    _record, created = services.material_mark_read(person=person, material=material)
    if created:
        messages.success(request, _("Marked as read."))
    else:
        messages.info(request, _("You had marked this material as read already."))
    return redirect("study:material_detail", pk=material.pk)


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """A material's document, for those who may see the material; media is never served
    raw."""
    material = get_material_or_404(request, pk)
    if not material.file:
        raise Http404
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name or material.file.name,
        content_type=material.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope_for(request.user).person
    material = get_material_or_404(request, pk)
    quiz = Quiz.objects.filter(material=material).first()
    if person is None or quiz is None:
        raise Http404
    try:
        started = services.quiz_start(person=person, quiz=quiz)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("study:material_detail", pk=material.pk)
    return redirect("study:attempt", token=started.token)


def _questions(attempt: QuizAttempt) -> list[Question]:
    # Only what the page shows: whether a choice is right never leaves the database.
    public = Choice.objects.only("pk", "question_id", "text", "position")
    by_pk = Question.objects.prefetch_related(Prefetch("choices", queryset=public)).in_bulk(
        attempt.question_ids
    )
    return [by_pk[pk] for pk in attempt.question_ids if pk in by_pk]


@login_required
def attempt(request: HttpRequest, token) -> HttpResponse:
    """Take the quiz (GET), submit it once (POST), then see the result: the score and
    right or wrong per question, never the right answers."""
    person = scope_for(request.user).person
    if person is None:
        raise Http404
    try:
        current = QuizAttempt.objects.select_related("quiz__material").get(
            token=token, person=person
        )
    except QuizAttempt.DoesNotExist:
        raise Http404 from None
    questions = _questions(current)
    errors: list[str] = []
    chosen: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = answers_from(request.POST, questions)
        try:
            current = services.quiz_submit(person=person, token=current.token, answers=chosen)
        except ValidationError as error:
            if getattr(error, "code", None) == "already_submitted":
                messages.warning(request, error.messages[0])
                return redirect("study:attempt", token=current.token)
            errors = error.messages
        else:
            if current.passed:
                messages.success(request, _("Passed with %(score)d%%.") % {"score": current.score})
            else:
                messages.warning(
                    request,
                    _("Not passed: %(score)d%% (the pass mark is %(mark)d%%).")
                    % {"score": current.score, "mark": current.quiz.pass_percent},
                )
            return redirect("study:attempt", token=current.token)
    rows = [
        {
            "question": q,
            "chosen": [int(c) for c in chosen.get(str(q.pk), []) if c.isdigit()],
            "right": current.results.get(str(q.pk)) if current.is_submitted else None,
        }
        for q in questions
    ]
    return render(
        request,
        "study/attempt.html",
        {
            "attempt": current,
            "quiz": current.quiz,
            "material": current.quiz.material,
            "rows": rows,
            "errors": errors,
        },
    )
