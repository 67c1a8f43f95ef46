"""The study admin: every page opens, credit rules are edited there, the ledger is
read-only, and a general branch's staff see only their subtree's materials."""

import pytest
from django.contrib import admin

from study.models import (
    Assignment,
    Choice,
    CreditEntry,
    CreditRule,
    Material,
    Question,
    Quiz,
    QuizAttempt,
    ReadRecord,
)
from study.services import material_mark_read, quiz_start
from tests.admin_helpers import make_staff, url
from tests.test_study_helpers import make_material, make_quiz

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "study"),
    key=lambda model: model._meta.label,
)


@pytest.fixture(autouse=True)
def english(settings, world):
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def objects(world) -> dict:
    material = make_material(world.branch, title="支部资料")
    quiz = make_quiz(material)
    material_mark_read(person=world.member, material=material)
    attempt = quiz_start(person=world.member, quiz=quiz)
    question = Question.objects.filter(material=material).first()
    return {
        Material: material,
        Assignment: Assignment.objects.get(material=material),
        Question: question,
        Choice: question.choices.first(),
        Quiz: quiz,
        QuizAttempt: attempt,
        ReadRecord: ReadRecord.objects.get(),
        CreditEntry: CreditEntry.objects.first(),
        CreditRule: CreditRule.objects.first(),
    }


def test_the_registered_models():
    assert {m.__name__ for m in REGISTERED} == {
        "Material",
        "Question",
        "Quiz",
        "CreditRule",
        "CreditEntry",
        "QuizAttempt",
        "ReadRecord",
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_it_opens_every_changelist_and_change_page(superuser, world, model):
    obj = objects(world)[model]
    assert superuser.get(url(model, "changelist")).status_code == 200
    assert superuser.get(url(model, "change", obj.pk)).status_code == 200


def test_the_ledger_is_read_only(superuser, world):
    objects(world)
    assert superuser.get(url(CreditEntry, "add")).status_code == 403
    assert superuser.get(url(QuizAttempt, "add")).status_code == 403


def test_a_choice_correctness_is_edited_inline_with_its_question(superuser, world):
    question = objects(world)[Question]
    html = superuser.get(url(Question, "change", question.pk)).content.decode()
    assert "is_correct" in html


def test_a_general_branch_sees_only_its_subtree(login, world):
    make_staff("general")
    mine = make_material(world.branch, title="支部资料")
    other = make_material(world.functional, title="综合支部资料")
    client = login("general")
    html = client.get(url(Material, "changelist")).content.decode()
    assert mine.title in html and other.title not in html
    assert client.get(url(Material, "change", other.pk)).status_code == 302


def test_a_fake_document_is_refused_in_the_admin_too(superuser, world):
    from tests.test_study_helpers import pdf

    response = superuser.post(
        url(Material, "add"),
        {
            "title": "假文件",
            "kind": "document",
            "organisation": world.branch.pk,
            "published_on": "2026-05-01",
            "body": "",
            "url": "",
            "file": pdf(content=b"not a pdf at all"),
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "does not contain what its name says" in response.content.decode()
    assert not Material.objects.exists()
