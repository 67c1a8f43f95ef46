"""The assessments demo: this year's standards scheme with its criteria, the red-flag
rule, every branch's assessment opened, and last month's red flag and post stars.

Called at the end of `members.demo.load()` after the liaison demo. Idempotent: the
scheme is keyed by year and seeded only when created; assessments are opened with
`assessment_open` (get or create); the front-end branch 计划招标党支部 is left in
draft with its hand-entered scores filled in, so a new user (login `qianduan`) can
submit it and the committee (`dangwei`) can return and approve it in the admin.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from branches.models import Organisation

from . import services
from .indicators import MANUAL
from .models import (
    BranchAssessment,
    Criterion,
    CriterionGroup,
    Grade,
    GradeThreshold,
    PostStar,
    RedFlag,
    RedFlagWeight,
    Scheme,
)

FRONT_BRANCH = "计划招标党支部"

# group, weight, ((criterion, max, source, target, evidence guide), ...)
GROUPS = (
    ("组织生活", 30, (
        ("“三会一课”按规定召开", 20, "meeting_compliance", "1",
         "按《中国共产党支部工作条例（试行）》规定的次数召开，会议记录完整"),
        ("党员参加组织生活", 10, "attendance_rate", "0.9", "参会率达到90%得满分"),
    )),
    ("党员教育管理", 20, (
        ("党员学习教育", 10, MANUAL, None, "学习计划、学习记录、心得体会"),
        ("发展党员", 10, "members_developed", "1", "本年度发展党员情况"),
    )),
    ("联系服务群众", 20, (
        ("党员走访谈心", 10, "visits_per_member", "2",
         "人均走访2次得满分（党员走访谈心记录跟踪表）"),
        ("问题挂号销账按期办结", 10, "problems_on_time", "1", "按期办结率"),
    )),
    ("供应链业务指标", 30, (
        ("物资供应及时率", 15, MANUAL, None, "供应及时率统计报表"),
        ("新产品、新供应商质量监督覆盖率", 15, MANUAL, None, "质量监督抽检台账"),
    )),
)
THRESHOLDS = ((Grade.EXCELLENT, 90), (Grade.STANDARD, 60), (Grade.SUBSTANDARD, 0))
RED_FLAG_RULE = (("meeting_compliance", 40, "1"), ("attendance_rate", 30, "0.9"),
                 ("visits_per_member", 30, "1"))
FRONT_ENTERED = {
    "党员学习教育": ("9", "全年集中学习12次，学习记录齐全"),
    "物资供应及时率": ("15", "2026年物资供应及时率100%"),
    "新产品、新供应商质量监督覆盖率": ("15", "新产品、新供应商质量监督覆盖率100%"),
}


def _scheme(year: int, created: dict) -> Scheme:
    scheme, made = Scheme.objects.get_or_create(
        year=year, defaults={"title": f"{year}年党支部达标考核方案"})
    if made:
        created["assessment schemes"] += 1
        for grade, total in THRESHOLDS:
            GradeThreshold.objects.create(scheme=scheme, grade=grade, min_total=total)
        for order, (name, weight, criteria) in enumerate(GROUPS):
            group = CriterionGroup.objects.create(scheme=scheme, name=name, weight=weight,
                                                  order=order)
            for k, (title, maximum, source, target, guide) in enumerate(criteria):
                Criterion.objects.create(group=group, name=title, max_score=maximum,
                                         source=source, order=k, evidence_guide=guide,
                                         target=Decimal(target) if target else None)
    if scheme.state == Scheme.State.DRAFT:
        services.scheme_activate(scheme=scheme)
    return scheme


def load(report) -> None:
    # The evidence is stored as computed: in the portal's own language.
    with translation.override(settings.LANGUAGE_CODE):
        _load(report)


def _load(report) -> None:
    created = report.created
    today = timezone.localdate()
    scheme = _scheme(today.year, created)
    for indicator, weight, target in RED_FLAG_RULE:
        _rule, made = RedFlagWeight.objects.get_or_create(
            indicator=indicator, defaults={"weight": weight, "target": Decimal(target)})
        created["red flag rule rows"] += int(made)

    for branch in Organisation.objects.active().branches():
        existed = BranchAssessment.objects.filter(scheme=scheme, branch=branch).exists()
        assessment = services.assessment_open(scheme=scheme, branch=branch)
        if existed:
            continue
        created["branch assessments"] += 1
        if branch.name == FRONT_BRANCH:
            entries = {
                score.pk: services.ScoreEntry(Decimal(FRONT_ENTERED[score.criterion.name][0]),
                                              FRONT_ENTERED[score.criterion.name][1])
                for score in assessment.scores.select_related("criterion")
                if score.criterion.name in FRONT_ENTERED
            }
            services.scores_enter(assessment=assessment, entries=entries)

    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if not RedFlag.objects.filter(month=last_month).exists():
        services.red_flag_award(month=last_month)
        created["red flags"] += 1
    front = Organisation.objects.filter(name=FRONT_BRANCH).first()
    if front is not None and not PostStar.objects.filter(branch=front,
                                                         month=last_month).exists():
        star = front.people.party_members().order_by("employee_no").first()
        if star is not None:
            services.post_star_award(branch=front, person=star, month=last_month,
                                     reason="招标文件编制零差错，主动服务项目单位")
            created["post stars"] += 1
