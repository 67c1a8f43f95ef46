"""Study rules: reading is idempotent, quizzes score exactly and are submitted once,
credits follow the admin's rules (monthly cap, never twice)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from study.models import CreditEntry, CreditRule, Material, QuizAttempt, ReadRecord
from study.services import (
    credit_award,
    material_create,
    material_mark_read,
    quiz_start,
    quiz_submit,
)
from tests.concurrency import at_once
from tests.test_study_helpers import PUBLISHED, answers, make_material, make_quiz, pdf, right

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MAY = datetime.datetime(2026, 5, 10, 10, tzinfo=SH)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def material(world):
    return make_material(world.committee, title="本月中心组学习专题")


@pytest.fixture
def quiz(material):
    return make_quiz(material)


def started(world, quiz):
    material_mark_read(person=world.member, material=quiz.material, now=MAY)
    return quiz_start(person=world.member, quiz=quiz)


def points(person) -> Decimal:
    return sum((e.points for e in CreditEntry.objects.filter(person=person)), Decimal(0))


# --- Reading -------------------------------------------------------------------------


def test_it_marks_read_once_and_credits_once(world, material):
    _record, created = material_mark_read(person=world.member, material=material, now=MAY)
    _again, created_again = material_mark_read(person=world.member, material=material, now=MAY)
    assert created and not created_again
    assert ReadRecord.objects.filter(person=world.member).count() == 1
    assert points(world.member) == Decimal("1.0")  # the seeded reading rule


def test_the_seeded_rules_are_there_and_editable_data(db):
    rules = {r.event: r for r in CreditRule.objects.all()}
    assert set(rules) == {"read", "quiz_passed", "quiz_perfect"}
    assert rules["read"].monthly_cap == Decimal("10.0")


# --- Materials -----------------------------------------------------------------------


def test_a_document_needs_a_real_pdf_or_docx(world):
    doc = material_create(
        organisation=world.branch,
        title="文件",
        kind=Material.Kind.DOCUMENT,
        published_on=PUBLISHED,
        by=None,
        upload=pdf(),
    )
    assert doc.content_type == "application/pdf"
    with pytest.raises(ValidationError, match="does not contain what its name says"):
        material_create(
            organisation=world.branch,
            title="假文件",
            kind=Material.Kind.DOCUMENT,
            published_on=PUBLISHED,
            by=None,
            upload=pdf(content=b"MZ\x90\x00 not a pdf"),
        )
    with pytest.raises(ValidationError, match="not an accepted file type"):
        material_create(
            organisation=world.branch,
            title="脚本",
            kind=Material.Kind.DOCUMENT,
            published_on=PUBLISHED,
            by=None,
            upload=pdf(name="x.exe", content_type="application/octet-stream"),
        )
    with pytest.raises(ValidationError, match="needs its file"):
        material_create(
            organisation=world.branch,
            title="无文件",
            kind=Material.Kind.DOCUMENT,
            published_on=PUBLISHED,
            by=None,
        )
    assert Material.objects.count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://intranet/v.mp4", "intranet/v"])
def test_a_video_link_must_be_http_or_https(world, url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        material_create(
            organisation=world.branch,
            title="视频",
            kind=Material.Kind.VIDEO,
            published_on=PUBLISHED,
            by=None,
            url=url,
        )
    assert not Material.objects.exists()


def test_a_video_with_an_intranet_link_is_published(world):
    video = material_create(
        organisation=world.branch,
        title="视频",
        kind=Material.Kind.VIDEO,
        published_on=PUBLISHED,
        by=None,
        url="https://intranet.cn/v/1",
    )
    assert video.url == "https://intranet.cn/v/1"


# --- Quizzes: scoring ------------------------------------------------------------------


def test_a_quiz_needs_the_material_read_first(world, quiz):
    with pytest.raises(ValidationError, match="Mark the material as read"):
        quiz_start(person=world.member, quiz=quiz)
    assert not QuizAttempt.objects.exists()


def test_all_right_scores_100_and_earns_pass_and_full_marks_credits(world, quiz):
    attempt = started(world, quiz)
    assert len(attempt.question_ids) == 5
    attempt = quiz_submit(
        person=world.member, token=attempt.token, answers=answers(attempt), now=MAY
    )
    assert attempt.score == 100 and attempt.passed
    assert set(attempt.results.values()) == {True}
    events = set(
        CreditEntry.objects.filter(person=world.member).values_list("rule__event", flat=True)
    )
    assert events == {"read", "quiz_passed", "quiz_perfect"}
    assert points(world.member) == Decimal("4.0")


def test_a_multiple_choice_question_needs_exactly_the_right_set(world, quiz):
    attempt = started(world, quiz)
    given = answers(attempt)
    multiple = attempt.question_ids[1]  # the second question is multiple choice
    given[str(multiple)] = right(multiple)[:1]  # one of the two right answers only
    attempt = quiz_submit(person=world.member, token=attempt.token, answers=given, now=MAY)
    assert attempt.results[str(multiple)] is False
    assert attempt.score == 80


def test_a_multiple_choice_answer_with_an_extra_choice_is_wrong(world, quiz):
    from study.models import Choice

    attempt = started(world, quiz)
    given = answers(attempt)
    multiple = attempt.question_ids[1]
    given[str(multiple)] = list(
        Choice.objects.filter(question_id=multiple).values_list("pk", flat=True)
    )
    attempt = quiz_submit(person=world.member, token=attempt.token, answers=given, now=MAY)
    assert attempt.results[str(multiple)] is False


@pytest.mark.parametrize(("wrong_count", "passed"), [(2, True), (3, False)])
def test_the_pass_mark_is_inclusive(world, quiz, wrong_count, passed):
    """Pass mark 60%: 3 of 5 right (60%) passes, 2 of 5 (40%) does not."""
    attempt = started(world, quiz)
    attempt = quiz_submit(
        person=world.member,
        token=attempt.token,
        answers=answers(attempt, wrong_count=wrong_count),
        now=MAY,
    )
    assert attempt.passed is passed
    assert CreditEntry.objects.filter(rule__event="quiz_passed").exists() is passed
    assert not CreditEntry.objects.filter(rule__event="quiz_perfect").exists()


def test_the_pass_mark_boundary_at_one_point_below(world, material):
    quiz = make_quiz(material, questions=5, pass_percent=61)
    attempt = started(world, quiz)
    attempt = quiz_submit(
        person=world.member, token=attempt.token, answers=answers(attempt, wrong_count=2), now=MAY
    )
    assert attempt.score == 60 and not attempt.passed


# --- Quizzes: bad input ------------------------------------------------------------------


def test_an_unanswered_question_is_refused_and_nothing_saved(world, quiz):
    attempt = started(world, quiz)
    given = answers(attempt)
    given.pop(str(attempt.question_ids[0]))
    with pytest.raises(ValidationError, match="Answer every question"):
        quiz_submit(person=world.member, token=attempt.token, answers=given, now=MAY)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}


def test_two_answers_to_a_single_choice_question_are_refused(world, quiz):
    from study.models import Choice

    attempt = started(world, quiz)
    given = answers(attempt)
    single = attempt.question_ids[0]
    given[str(single)] = list(
        Choice.objects.filter(question_id=single).values_list("pk", flat=True)[:2]
    )
    with pytest.raises(ValidationError, match="takes one answer only"):
        quiz_submit(person=world.member, token=attempt.token, answers=given, now=MAY)


def test_a_choice_of_another_question_is_refused(world, quiz):
    attempt = started(world, quiz)
    given = answers(attempt)
    first, second = attempt.question_ids[:2]
    given[str(first)] = right(second)[:1]
    with pytest.raises(ValidationError, match="choose among its answers"):
        quiz_submit(person=world.member, token=attempt.token, answers=given, now=MAY)


def test_a_quiz_submitted_twice_makes_one_attempt(world, quiz):
    attempt = started(world, quiz)
    quiz_submit(person=world.member, token=attempt.token, answers=answers(attempt), now=MAY)
    with pytest.raises(ValidationError, match="already submitted"):
        quiz_submit(
            person=world.member,
            token=attempt.token,
            answers=answers(attempt, wrong_count=5),
            now=MAY,
        )
    attempt.refresh_from_db()
    assert attempt.score == 100  # the first submission stands
    assert QuizAttempt.objects.count() == 1
    assert CreditEntry.objects.filter(rule__event="quiz_passed").count() == 1


def test_another_persons_token_is_refused(world, quiz):
    attempt = started(world, quiz)
    with pytest.raises(ValidationError, match="not valid"):
        quiz_submit(person=world.other_member, token=attempt.token, answers=answers(attempt))
    with pytest.raises(ValidationError, match="not valid"):
        quiz_submit(person=world.member, token="not-a-uuid", answers={})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_quiz_submitted_twice_at_once_makes_one_attempt(world):
    material = make_material(world.committee, title="并发")
    quiz = make_quiz(material)
    attempt = started(world, quiz)
    given = answers(attempt)

    def submit():
        return quiz_submit(person=world.member, token=attempt.token, answers=given).pk

    results, errors = at_once(submit, submit)
    assert len(results) == 1 and len(errors) == 1
    assert "already submitted" in str(errors[0])
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1
    assert CreditEntry.objects.filter(rule__event="quiz_passed").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_starts_at_once_open_one_attempt(world):
    material = make_material(world.committee, title="并发开始")
    quiz = make_quiz(material)
    material_mark_read(person=world.member, material=material, now=MAY)
    start = lambda: quiz_start(person=world.member, quiz=quiz).pk  # noqa: E731
    results, errors = at_once(start, start)
    assert not errors
    assert results[0] == results[1]
    assert QuizAttempt.objects.count() == 1


def test_attempts_allowed_and_retake_until_passed(world, material):
    quiz = make_quiz(material, attempts_allowed=1)
    attempt = started(world, quiz)
    quiz_submit(
        person=world.member, token=attempt.token, answers=answers(attempt, wrong_count=5), now=MAY
    )
    with pytest.raises(ValidationError, match="used every attempt"):
        quiz_start(person=world.member, quiz=quiz)
    quiz.retake_until_passed = True
    quiz.save()
    second = quiz_start(person=world.member, quiz=quiz)
    assert second.number == 2
    quiz_submit(person=world.member, token=second.token, answers=answers(second), now=MAY)
    with pytest.raises(ValidationError, match="passed this quiz already"):
        quiz_start(person=world.member, quiz=quiz)


def test_a_start_reopens_the_open_attempt(world, quiz):
    first = started(world, quiz)
    assert quiz_start(person=world.member, quiz=quiz).pk == first.pk


def test_a_quiz_draws_its_number_of_questions_from_the_bank(world, material):
    quiz = make_quiz(material, questions=5)
    quiz.question_count = 3
    quiz.save()
    attempt = started(world, quiz)
    assert len(attempt.question_ids) == 3
    assert len(set(attempt.question_ids)) == 3


# --- Credits ---------------------------------------------------------------------------


def test_credits_are_capped_per_month(world):
    rule = CreditRule.objects.get(event="read")
    rule.points, rule.monthly_cap = Decimal("4.0"), Decimal("10.0")
    rule.save()
    materials = [make_material(world.committee, title=f"资料{n}") for n in range(4)]
    for material in materials:
        material_mark_read(person=world.member, material=material, now=MAY)
    awarded = list(
        CreditEntry.objects.filter(person=world.member)
        .order_by("pk")
        .values_list("points", flat=True)
    )
    assert awarded == [Decimal("4.0"), Decimal("4.0"), Decimal("2.0")]  # 10 at most
    # Next month the cap starts again.
    june = make_material(world.committee, title="六月资料")
    material_mark_read(
        person=world.member, material=june, now=datetime.datetime(2026, 6, 2, 9, tzinfo=SH)
    )
    assert points(world.member) == Decimal("14.0")


def test_a_credit_is_never_given_twice_for_the_same_source(world, material):
    on = datetime.date(2026, 5, 10)
    first = credit_award(person=world.member, event="read", material=material, on=on)
    second = credit_award(person=world.member, event="read", material=material, on=on)
    assert first is not None and second is None
    assert CreditEntry.objects.count() == 1


def test_an_inactive_rule_awards_nothing(world, material):
    CreditRule.objects.filter(event="read").update(is_active=False)
    material_mark_read(person=world.member, material=material, now=MAY)
    assert not CreditEntry.objects.exists()


def test_an_edited_rule_applies_to_the_next_award(world, material):
    CreditRule.objects.filter(event="read").update(points=Decimal("2.5"))
    material_mark_read(person=world.member, material=material, now=MAY)
    assert points(world.member) == Decimal("2.5")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reading_twice_at_once_credits_once(world):
    material = make_material(world.committee, title="并发已读")
    read = lambda: material_mark_read(person=world.member, material=material)[1]  # noqa: E731
    results, errors = at_once(read, read)
    assert not errors
    assert sorted(results) == [False, True]
    assert CreditEntry.objects.count() == 1
