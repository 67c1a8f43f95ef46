"""The study and credits demo (called at the end of `members.demo.load()`).

Six materials over the last three months, published by the committee and two
organisations below it: this month's central-group study topic assigned to the
committee (so everyone has it), a document, an intranet video and older topics. The
material with the quiz (five questions) is assigned to 机关党总支 this month and left
unread by the demo member `dangyuan` (计划招标党支部), so the walk-through "read it, pass
its quiz, see the credits in the ranking" works; the other members have read most
materials and taken the quiz, so the rankings have data.

Everything is keyed (a material by its title, reads and attempts by person and
material) and written through the services, so a rerun creates nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members import demo as members_demo
from members.models import Person

from .models import Choice, Material, Question, Quiz, QuizAttempt, ReadRecord
from .services import material_assign, material_create, material_mark_read, quiz_start, quiz_submit

Kind = Material.Kind
QUIZ_TITLE = "供应链党建融合：“业务延伸到哪里，党组织就覆盖到哪里”"
DEMO_MEMBER = "dangyuan"

# A one-page PDF, enough for the download to open.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

QUESTIONS = (
    (
        "公司党委按照什么思路设置党支部？",
        "single",
        (
            ("沿物资供应链设置，业务延伸到哪里党组织就覆盖到哪里", True),
            ("按行政部门一一对应设置", False),
            ("按员工年龄段设置", False),
        ),
    ),
    (
        "供应链被划分为哪几个环节并分别设立党支部？（多选）",
        "multiple",
        (("前端", True), ("中端", True), ("后端", True), ("末端", True), ("外端", False)),
    ),
    (
        "公司规定每个党支部的人数一般为多少？",
        "single",
        (("10 至 20 人", True), ("3 至 5 人", False), ("50 人以上", False)),
    ),
    (
        "“七个一”中“一个电话暖人心”指的是什么？",
        "single",
        (
            ("问题解决后第一时间向提出人反馈", True),
            ("每天电话点名", False),
            ("电话通知开会", False),
        ),
    ),
    (
        "问题“挂号销账”的环节包括哪些？（多选）",
        "multiple",
        (
            ("登记挂号", True),
            ("明确责任人", True),
            ("解决后反馈", True),
            ("不经反馈直接销号", False),
        ),
    ),
)


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


class _StudyLoader:
    def __init__(self, orgs: dict, today: datetime.date) -> None:
        self.orgs = orgs
        self.today = today
        self.month = today.replace(day=1)
        self.last_month = (self.month - datetime.timedelta(days=1)).replace(day=1)
        self.two_ago = (self.last_month - datetime.timedelta(days=1)).replace(day=1)
        self.created: Counter = Counter()

    def run(self) -> Counter:
        for what in ("study materials", "study assignments", "study reads", "quiz attempts"):
            self.created[what] = 0
        materials = self.materials()
        quiz = self.quiz(materials[QUIZ_TITLE])
        self.reads(materials, quiz)
        return self.created

    def material(
        self,
        *,
        title,
        kind,
        org,
        published_on,
        due_on,
        assign_to=None,
        body="",
        url="",
        pdf_name="",
    ):
        organisation = self.orgs[org]
        material = Material.objects.filter(title=title).first()
        if material is None:
            upload = (
                SimpleUploadedFile(pdf_name, _PDF, content_type="application/pdf")
                if pdf_name
                else None
            )
            material = material_create(
                organisation=organisation,
                title=title,
                kind=kind,
                published_on=published_on,
                by=None,
                body=body,
                url=url,
                upload=upload,
            )
            self.created["study materials"] += 1
        target = self.orgs[assign_to or org]
        if not material.assignments.filter(organisation=target).exists():
            material_assign(material=material, organisation=target, due_on=due_on, by=None)
            self.created["study assignments"] += 1
        return material

    def materials(self) -> dict[str, Material]:
        month_end = (self.month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
            days=1
        )
        specs = [
            {
                "title": f"{self.month:%Y年%-m月}理论学习中心组专题：学习贯彻党的创新理论",
                "kind": Kind.TOPIC,
                "org": "committee",
                "published_on": self.month,
                "due_on": month_end,
                "body": "本月二级中心组学习专题。各支部结合供应链业务，交流跨部门协同中的问题。",
            },
            {
                "title": QUIZ_TITLE,
                "kind": Kind.DOCUMENT,
                "org": "jiguan",
                "published_on": self.month,
                "due_on": month_end,
                "pdf_name": "供应链党建融合.pdf",
                "body": "沿物资供应链重建党组织的做法与“七个一”工作法，读完后完成测验。",
            },
            {
                "title": "《中国共产党支部工作条例（试行）》解读",
                "kind": Kind.DOCUMENT,
                "org": "committee",
                "published_on": self.last_month,
                "due_on": self.last_month + datetime.timedelta(days=20),
                "pdf_name": "支部工作条例解读.pdf",
                "body": "支部设置、组织生活、支部委员会的职责。",
            },
            {
                "title": "重点工程物资供应服务经验交流（视频）",
                "kind": Kind.VIDEO,
                "org": "committee",
                "published_on": self.last_month,
                "due_on": self.last_month + datetime.timedelta(days=25),
                "url": "http://intranet.example.cn/video/service-team-2026",
                "body": "共产党员服务队现场收货服务的经验交流录像。",
            },
            {
                "title": f"{self.last_month:%Y年%-m月}理论学习中心组专题：党建与业务深度融合",
                "kind": Kind.TOPIC,
                "org": "committee",
                "published_on": self.last_month,
                "due_on": self.last_month + datetime.timedelta(days=27),
                "body": "上月中心组学习专题：“一岗双责”与支部达标考核。",
            },
            {
                "title": f"{self.two_ago:%Y年%-m月}理论学习中心组专题：问题挂号销账",
                "kind": Kind.TOPIC,
                "org": "committee",
                "published_on": self.two_ago,
                "due_on": self.two_ago + datetime.timedelta(days=27),
                "body": "群众提出问题的登记、跟踪、反馈与销号。",
            },
        ]
        return {spec["title"]: self.material(**spec) for spec in specs}

    def quiz(self, material: Material) -> Quiz:
        quiz, _created = Quiz.objects.get_or_create(
            material=material,
            defaults={
                "question_count": 5,
                "pass_percent": 60,
                "attempts_allowed": 1,
                "retake_until_passed": True,
            },
        )
        if not material.questions.exists():
            for position, (text, kind, choices) in enumerate(QUESTIONS, start=1):
                question = Question.objects.create(
                    material=material, text=text, kind=kind, position=position
                )
                Choice.objects.bulk_create(
                    Choice(question=question, text=choice, is_correct=right, position=n)
                    for n, (choice, right) in enumerate(choices, start=1)
                )
        return quiz

    def when(self, material: Material, k: int) -> datetime.datetime:
        """A deterministic moment after the material was published, before now."""
        moment = _local(material.published_on + datetime.timedelta(days=k % 9), 9 + k % 8, k % 60)
        return min(moment, timezone.now() - datetime.timedelta(minutes=5))

    def reads(self, materials: dict[str, Material], quiz: Quiz) -> None:
        people = list(
            Person.objects.active()
            .party_members()
            .filter(branch__isnull=False)
            .select_related("user")
            .order_by("employee_no", "pk")
        )
        read = set(ReadRecord.objects.values_list("person_id", "material_id"))
        attempted = set(QuizAttempt.objects.filter(quiz=quiz).values_list("person_id", flat=True))
        ordered = sorted(materials.values(), key=lambda m: (m.published_on, m.pk))
        for i, person in enumerate(people):
            is_demo_member = person.user is not None and person.user.username == DEMO_MEMBER
            for j, material in enumerate(ordered):
                if is_demo_member and material.pk != ordered[0].pk:
                    continue  # the demo member has read only the oldest topic
                if (i + j) % 4 == 0 or (person.pk, material.pk) in read:
                    continue
                material_mark_read(person=person, material=material, now=self.when(material, i + j))
                self.created["study reads"] += 1
                if material.pk == quiz.material_id and person.pk not in attempted:
                    self.attempt(quiz, person, i, self.when(material, i + j))

    def attempt(self, quiz: Quiz, person: Person, i: int, read_at: datetime.datetime) -> None:
        attempt = quiz_start(person=person, quiz=quiz)
        answers = {}
        for n, pk in enumerate(attempt.question_ids):
            right = list(
                Choice.objects.filter(question_id=pk, is_correct=True).values_list("pk", flat=True)
            )
            if (i + n) % 5 == 0 and i % 3 == 0:  # some get one wrong
                right = list(
                    Choice.objects.filter(question_id=pk, is_correct=False).values_list(
                        "pk", flat=True
                    )[:1]
                )
            answers[str(pk)] = right
        quiz_submit(
            person=person,
            token=attempt.token,
            answers=answers,
            now=min(
                read_at + datetime.timedelta(minutes=20),
                timezone.now() - datetime.timedelta(minutes=1),
            ),
        )
        self.created["quiz attempts"] += 1


def demo_organisations() -> dict:
    from meetings.demo import demo_organisations as find

    return find()


def load(report: members_demo.Report, *, today: datetime.date | None = None) -> None:
    """Add the demo rows that are missing; count them in the report."""
    orgs = demo_organisations()
    if not {"committee", "jiguan"} <= orgs.keys():
        report.notes.append("study: the demo organisations are missing; nothing loaded.")
        return
    created = _StudyLoader(orgs, today or timezone.localdate()).run()
    for what, n in created.items():
        report.created[what] += n
    report.totals["study materials"] = Material.objects.count()
    report.totals["study reads"] = ReadRecord.objects.count()
    report.totals["study quiz attempts"] = QuizAttempt.objects.filter(
        submitted_at__isnull=False
    ).count()
