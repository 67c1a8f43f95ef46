"""The study demo: this month's central-group topic for everyone, a quiz the demo member
has not read yet, and rankings with data; the walk-through as the demo member; reruns
add nothing."""

from django.test import Client

from study.demo import QUIZ_TITLE
from study.models import CreditEntry, Material, Question, Quiz, QuizAttempt, ReadRecord
from tests.demo_data import load_demo

PASSWORD = "Dangjian@2026"


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_demo_walk_through_and_reruns_add_nothing(loaded, settings):
    settings.LANGUAGE_CODE = "en"
    assert Material.objects.count() == 6
    topic = Material.objects.filter(kind="topic").order_by("-published_on").first()
    assert topic.assignments.get().organisation.name == "物资公司党委"
    quiz = Quiz.objects.get(material__title=QUIZ_TITLE)
    assert Question.objects.filter(material=quiz.material).count() == 5
    assert QuizAttempt.objects.filter(quiz=quiz, passed=True).exists()
    assert CreditEntry.objects.values("person").distinct().count() > 10
    counts = [m.objects.count() for m in (Material, ReadRecord, QuizAttempt, CreditEntry)]
    load_demo()
    assert [m.objects.count() for m in (Material, ReadRecord, QuizAttempt, CreditEntry)] == counts

    # As dangyuan: the quiz material is unread; read it, pass the quiz, see the credits.
    member = login("dangyuan")
    person = member.get("/study/").context["person"]
    assert not ReadRecord.objects.filter(person=person, material=quiz.material).exists()
    unread = member.get("/study/unread/").content.decode()
    assert QUIZ_TITLE in unread and topic.title in unread
    before = member.get("/study/ranking/").context["mine"]
    member.post(f"/study/materials/{quiz.material.pk}/read/")
    member.post(f"/study/materials/{quiz.material.pk}/quiz/")
    attempt = QuizAttempt.objects.get(person=person, quiz=quiz)
    data = {
        f"q{pk}": [
            str(c)
            for c in Question.objects.get(pk=pk)
            .choices.filter(is_correct=True)
            .values_list("pk", flat=True)
        ]
        for pk in attempt.question_ids
    }
    response = member.post(f"/study/quiz/{attempt.token}/", data, follow=True)
    assert "Passed with 100%" in response.content.decode()
    after = member.get("/study/ranking/")
    mine = after.context["mine"]
    assert mine[1] == before[1] + 4  # read 1 + passed 2 + full marks 1
    assert person.name in after.content.decode()
    # The branch ranking shows names within the branch; the committee sees the top.
    assert login("dangwei").get("/study/ranking/").status_code == 200
    assert login("qianduan").get(f"/study/orgs/{person.branch_id}/completion/").status_code == 200
