"""The activities and pairing demo (called at the end of `members.demo.load()`).

A year of forums and lectures (物资文化讲坛, 物资科技论坛, 员工讲大家听) and team
activities with speakers and attendees; the three joint research topics of the demo
pairing (结对联创) with their progress; four company documents with two versions each
(small PDF files written by code). Dates are counted back from today; every row is
keyed (organiser and title, pairing and topic, owner and title, version number), so a
rerun creates nothing. Everything goes through the services.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from branches.models import Organisation, Partnership
from members import demo as members_demo
from members.models import Person

from .models import Activity, Document, JointProject, ProjectProgress
from .services import (
    ActivityData,
    SpeakerEntry,
    activity_create,
    document_create,
    progress_add,
    project_create,
    version_add,
)

K = Activity.Kind
# (organiser key, kind, title, days ago, place, speaker key or outside name, topic)
ACTIVITIES = (
    (
        "committee",
        K.CULTURE_FORUM,
        "物资文化讲坛：供应链上的党建文化",
        320,
        "公司四楼报告厅",
        "outside:市电力公司党校 王老师",
        "党建文化与企业文化融合",
    ),
    (
        "committee",
        K.TECH_FORUM,
        "物资科技论坛：电子商务平台与智慧供应链",
        250,
        "公司四楼报告厅",
        "middle",
        "电子商务平台在采购中的应用",
    ),
    (
        "front",
        K.STAFF_LECTURE,
        "员工讲大家听：招标文件编制要点",
        200,
        "计划管理部会议室",
        "front",
        "招标文件常见问题",
    ),
    (
        "middle",
        K.STAFF_LECTURE,
        "员工讲大家听：合同履约风险防控",
        150,
        "合同管理部会议室",
        "middle",
        "合同履约风险点",
    ),
    (
        "supply",
        K.TEAM_ACTIVITY,
        "仓储配送技能竞赛",
        120,
        "中心库作业现场",
        "back",
        "叉车与装卸规范",
    ),
    ("committee", K.TEAM_ACTIVITY, "端午龙舟赛", 90, "淀山湖水上运动场", None, ""),
    ("jiguan", K.TEAM_ACTIVITY, "团队拓展训练", 45, "青浦拓展基地", None, ""),
    (
        "committee",
        K.TECH_FORUM,
        "物资科技论坛：物联网在标准化仓库中的应用",
        20,
        "公司四楼报告厅",
        "outside:电力科学研究院 李工",
        "仓储物联网",
    ),
)
SUMMARY = "参加人员交流热烈，形成改进建议若干条，已纳入支部问题台账跟踪。"

# (percent, text) of each topic's progress entries, months after its start.
PROGRESS = (
    (2, 20, "完成调研，召开联创双方座谈会，明确课题分工。"),
    (5, 50, "形成初步方案，在两家单位试点。"),
    (9, 80, "试点总结，修改完善方案。"),
)

DOCUMENTS = (
    ("中层干部联系班组制度", Document.Category.RULE, "committee", Document.Visibility.COMPANY),
    ("供应商接待日制度", Document.Category.RULE, "committee", Document.Visibility.COMPANY),
    ("困难党员帮扶办法", Document.Category.MEASURE, "committee", Document.Visibility.COMPANY),
    ("党员与员工结对帮带方案", Document.Category.SCHEME, "supply", Document.Visibility.SUBTREE),
)


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing an ASCII line (offsets computed, so readers
    open it)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _orgs() -> dict[str, Organisation]:
    found = {}
    for spec in members_demo.ORGANISATIONS:
        org = Organisation.objects.filter(name=spec.name, kind=spec.kind).first()
        if org is not None:
            found[spec.key] = org
    return found


def _people(org: Organisation) -> list[Person]:
    return list(
        Person.objects.party_members()
        .active()
        .filter(branch__path__startswith=org.path)
        .order_by("name", "pk")
    )


def _activities(orgs, today, created: Counter) -> None:
    for key, kind, title, days_ago, place, speaker, topic in ACTIVITIES:
        org = orgs.get(key)
        if org is None or Activity.objects.filter(organisation=org, title=title).exists():
            continue
        speakers = []
        if speaker and speaker.startswith("outside:"):
            speakers.append(SpeakerEntry(outside_name=speaker.split(":", 1)[1], topic=topic))
        elif speaker and orgs.get(speaker) and _people(orgs[speaker]):
            speakers.append(SpeakerEntry(person=_people(orgs[speaker])[0], topic=topic))
        people = _people(org)
        attendees = people[:: 2 if len(people) > 20 else 1][:30]
        activity_create(
            organisation=org,
            by=None,
            speakers=speakers,
            attendees=attendees,
            data=ActivityData(
                kind=kind,
                title=title,
                held_on=today - datetime.timedelta(days=days_ago),
                place=place,
                summary=SUMMARY,
            ),
        )
        created["activities"] += 1


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _projects(orgs, today, created: Counter) -> None:
    supply = orgs.get(members_demo.PARTNERSHIP["organisation"])
    if supply is None:
        return
    partnership = Partnership.objects.filter(
        organisation=supply, partner__name=members_demo.PARTNER["name"]
    ).first()
    people = _people(supply)
    if partnership is None or len(people) < 3:
        return
    started_on = _add_months(datetime.date(today.year - 1, 1, 1), 2)
    for n, topic in enumerate(members_demo.PAIRING_TOPICS):
        project = JointProject.objects.filter(partnership=partnership, topic=topic).first()
        if project is None:
            project = project_create(
                partnership=partnership,
                topic=topic,
                lead=people[n % len(people)],
                members=[people[(n + 3) % len(people)], people[(n + 6) % len(people)]],
                started_on=started_on,
                due_on=datetime.date(today.year, 12, 31),
                by=None,
            )
            created["joint projects"] += 1
        # Each topic moves at its own pace: the first is furthest along.
        for months, percent, text in PROGRESS[: len(PROGRESS) - n]:
            on = _add_months(started_on, months)
            if on > today or ProjectProgress.objects.filter(project=project, on=on).exists():
                continue
            if project.progress.filter(on__gt=on).exists():
                continue
            progress_add(project=project, on=on, percent=percent, text=text, by=None)
            created["progress entries"] += 1


def _documents(orgs, created: Counter) -> None:
    for n, (title, category, key, visibility) in enumerate(DOCUMENTS, start=1):
        org = orgs.get(key)
        if org is None:
            continue
        document = Document.objects.filter(organisation=org, title=title).first()
        if document is None:
            document = document_create(
                organisation=org,
                title=title,
                category=category,
                visibility=visibility,
                upload=SimpleUploadedFile(
                    f"{title}.pdf", tiny_pdf(f"Document {n} v1"), "application/pdf"
                ),
                changes="首次印发",
                by=None,
            )
            created["documents"] += 1
        if document.current_number < 2:
            version_add(
                document=document,
                by=None,
                changes="根据上级要求修订",
                upload=SimpleUploadedFile(
                    f"{title}（修订）.pdf", tiny_pdf(f"Document {n} v2"), "application/pdf"
                ),
            )
            created["document versions"] += 1


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    today = timezone.localdate()
    orgs = _orgs()
    created: Counter = Counter()
    _activities(orgs, today, created)
    _projects(orgs, today, created)
    _documents(orgs, created)
    for what, n in created.items():
        report.created[what] += n
    report.totals["activities"] = Activity.objects.count()
    report.totals["joint projects"] = JointProject.objects.count()
    report.totals["documents"] = Document.objects.count()
