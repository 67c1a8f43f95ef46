"""The question bank and quizzes. A choice's `is_correct` never reaches a member's page:
the take page renders choices through `Choice.public` fields only, and the result
page shows right or wrong per question and the score."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Person

from .materials import Material


class Question(models.Model):
    """A question of the bank, about one material."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("material"),
    )
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["material", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class Quiz(models.Model):
    """The short quiz of a material: how many questions of its bank, the pass mark, and
    how often it may be taken."""

    material = models.OneToOneField(
        Material, on_delete=models.CASCADE, related_name="quiz", verbose_name=_("material")
    )
    question_count = models.PositiveSmallIntegerField(
        _("number of questions"), default=5, validators=[MinValueValidator(1)]
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    retake_until_passed = models.BooleanField(
        _("retake until passed"),
        default=False,
        help_text=_("A member who has not passed may try again beyond the attempts allowed."),
    )
    is_active = models.BooleanField(_("open"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__gte=1, pass_percent__lte=100),
                name="study_quiz_pass_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.material)


class QuizAttempt(models.Model):
    """One go at a quiz. Started with its questions drawn and a one-time token; the
    submission claims it (locked row, `submitted_at` still empty), so the same form
    posted twice, even at the same moment, yields one submitted attempt."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("person")
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    question_ids = models.JSONField(_("questions"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    results = models.JSONField(_("right or wrong per question"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "quiz", "number"], name="study_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["person", "quiz"],
                condition=Q(submitted_at__isnull=True),
                name="study_one_open_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.quiz} #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
