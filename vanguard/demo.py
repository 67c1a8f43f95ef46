"""The pledges and model posts demo (called at the end of `members.demo.load()`).

Every party member of the five demo branches has this year's pledge: in 计划招标党支部
a few are still awaiting approval (for qianduan to approve, dangyuan's among them)
and one is a draft; elsewhere they are approved by the branch's secretary. Each
branch names a member model post; 仓储配送党支部 also names two warehouse safety
responsibility zones. Everything goes through the services and is keyed (one pledge
per member and year, one active designation per branch and name), so a rerun
creates nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from branches.models import BusinessNode, Organisation
from members import demo as members_demo
from members.models import Person

from .models import Designation, Pledge
from .services import DesignationData, designation_create, pledge_approve, pledge_save

BRANCH_KEYS = ("front", "middle", "back", "end", "functional")

# What a member of each branch promises, by the branch's business (picked by turn).
PLEDGES = {
    "front": (
        "需求计划按时审核，招标文件零差错，做到公开、公平、公正。",
        "主动对接项目单位需求，计划上报不过夜，急事急办。",
        "廉洁从业，严守招标纪律，不接受投标人任何宴请和礼品。",
    ),
    "middle": (
        "合同签订及时准确，履约协调主动跟进，重点物资到货不误工期。",
        "对供应商一次性告知，结算资料随到随审。",
        "守牢合同履约廉洁风险底线，做到阳光采购。",
    ),
    "back": (
        "仓库收发零差错，安全责任区内无隐患，标准化仓库建设走在前。",
        "配送准时到达现场，装卸作业规范，服务项目单位零投诉。",
        "带头执行安全操作规程，发现隐患当场整改。",
    ),
    "end": (
        "废旧物资处置依法合规，应收尽收、应处尽处。",
        "新产品、新供应商质量监督全覆盖，抽检不放过一个疑点。",
        "驻厂监造认真负责，把质量问题挡在出厂前。",
    ),
    "functional": (
        "做好支撑服务，文件流转当日办结。",
        "财务报销随到随审，主动为一线减负。",
        "服务基层不推诿，首问负责到底。",
    ),
}
# Branch key -> how many of its pledges (by name order, after the secretary's) stay
# awaiting approval; the next one stays a draft.
PENDING = {"front": 3}

MODEL_POSTS = {
    "front": ("招标文件编制党员示范岗", "tendering", "招标文件编制零差错，答疑及时率100%。"),
    "middle": ("合同履约协调党员示范岗", "contracts", "重点工程物资合同履约率100%。"),
    "back": ("标准化仓库党员示范岗", "warehousing", "库容库貌标准化，账卡物一致率100%。"),
    "end": ("产品质量监督党员示范岗", "quality", "新产品、新供应商质量监督覆盖率100%。"),
    "functional": ("财务服务党员示范岗", None, "报销审核当日办结。"),
}
SAFETY_ZONES = (
    (
        "一号仓库党员安全责任区",
        "warehousing",
        "中心库一号库区（高压设备库）",
        "消防通道畅通，货架无超载，每日巡查记录齐全。",
    ),
    (
        "配送装卸作业区党员安全责任区",
        "distribution",
        "配送中心装卸平台",
        "装卸作业持证上岗，车辆限速，作业区无违章。",
    ),
)


def _branches() -> dict[str, Organisation]:
    found = {}
    for spec in members_demo.ORGANISATIONS:
        if spec.key in BRANCH_KEYS:
            org = Organisation.objects.filter(name=spec.name, kind=spec.kind).first()
            if org is not None:
                found[spec.key] = org
    return found


def _members(branch: Organisation) -> list[Person]:
    return list(
        Person.objects.party_members()
        .active()
        .filter(branch=branch)
        .select_related("user")
        .order_by("name", "pk")
    )


def _pledges(key: str, branch: Organisation, year: int, created: Counter) -> None:
    people = _members(branch)
    secretary = branch.posts.filter(role="secretary", ended_on__isnull=True).first()
    secretary_id = secretary.person_id if secretary else None
    # dangyuan first among the pending ones: the demo's member sees "awaiting approval".
    people.sort(
        key=lambda p: (p.pk == secretary_id, not (p.user and p.user.username == "dangyuan"))
    )
    texts = PLEDGES[key]
    pending = PENDING.get(key, 0)
    for index, person in enumerate(people):
        if Pledge.objects.filter(person=person, year=year).exists():
            continue
        is_secretary = person.pk == secretary_id
        draft = bool(pending) and not is_secretary and index == pending
        pledge = pledge_save(
            person=person, year=year, text=texts[index % len(texts)], submit=not draft, by=None
        )
        created["pledges"] += 1
        if is_secretary or index >= pending + (1 if pending else 0):
            pledge_approve(pledge=pledge, by=None)


def _designations(key: str, branch: Organisation, created: Counter, today) -> None:
    people = _members(branch)
    if not people:
        return
    starts_on = datetime.date(today.year, 1, 1)
    items = [(Designation.Kind.MODEL_POST, *MODEL_POSTS[key][:2], "", MODEL_POSTS[key][2])]
    if key == "back":
        items += [(Designation.Kind.SAFETY_ZONE, *zone) for zone in SAFETY_ZONES]
    for n, (kind, name, node, location, criteria) in enumerate(items):
        if Designation.objects.filter(organisation=branch, name=name).exists():
            continue
        responsible = [people[(2 * n) % len(people)], people[(2 * n + 1) % len(people)]]
        designation_create(
            organisation=branch,
            by=None,
            responsible=list(dict.fromkeys(responsible)),
            data=DesignationData(
                kind=kind,
                name=name,
                starts_on=starts_on,
                node=BusinessNode.objects.filter(code=node).first() if node else None,
                location=location,
                criteria=criteria,
            ),
        )
        created["model posts and safety zones"] += 1


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    today = timezone.localdate()
    created: Counter = Counter()
    for key, branch in _branches().items():
        _pledges(key, branch, today.year, created)
        _designations(key, branch, created, today)
    for what, n in created.items():
        report.created[what] += n
    report.totals["pledges (approved this year)"] = (
        Pledge.objects.approved().filter(year=today.year).count()
    )
    report.totals["model posts and safety zones (active)"] = Designation.objects.active().count()
