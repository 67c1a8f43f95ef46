"""The notices demo (called at the end of `members.demo.load()`).

Six notices from the committee, a general branch and a branch: an important one that
about half the members have read (so "who has not read" has names, dangyuan among
them), notices most have read, a draft, and a withdrawn one. Written through the
services; the fan-out to the bell is called directly (no worker needed). A notice is
keyed by its organisation and title, and an existing one is left as it is, so a
second load creates nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from branches.models import Organisation
from members import demo as members_demo

from .models import Notice
from .services import (
    NoticeData,
    notice_create,
    notice_fan_out,
    notice_publish,
    notice_withdraw,
    receipt_record,
)

IMPORTANT, NORMAL = Notice.Importance.IMPORTANT, Notice.Importance.NORMAL
DRAFT, PUBLISHED, WITHDRAWN = Notice.Status.values


@dataclass(frozen=True)
class NoticeSpec:
    org: str  # organisation key in `members.demo`
    title: str
    body: str
    importance: str = NORMAL
    status: str = PUBLISHED
    days_ago: int = 0  # published this many days before the load
    read_every: int = 0  # of the addressees by name, all but every n-th have read (0: none)
    dangyuan_read: bool = True


NOTICES: tuple[NoticeSpec, ...] = (
    NoticeSpec(
        "committee",
        "关于深入学习贯彻党的二十届四中全会精神的通知",
        "各党总支、党支部：\n\n为深入学习贯彻党的二十届四中全会精神，党委决定在全体党员中开展"
        "专题学习。现将有关事项通知如下：\n一、各党支部于本月底前召开专题组织生活会；\n"
        "二、每名党员撰写学习心得一篇，交所在党支部；\n三、各党总支汇总学习情况，报党委办公室。\n\n"
        "请各党组织高度重视，认真组织实施。\n\n物资公司党委",
        importance=IMPORTANT,
        days_ago=6,
        read_every=2,
        dangyuan_read=False,
    ),
    NoticeSpec(
        "committee",
        "关于做好2026年度党费收缴工作的通知",
        "各党总支、党支部：\n\n请按照《关于中国共产党党费收缴、使用和管理的规定》，"
        "于每月10日前完成党费收缴，并在党费收缴台账中据实登记。\n\n物资公司党委",
        days_ago=30,
        read_every=5,
    ),
    NoticeSpec(
        "committee",
        "关于开展年度民主评议党员工作的通知",
        "各党总支、党支部：\n\n（草稿，待党委会审议后发布）",
        status=DRAFT,
    ),
    NoticeSpec(
        "committee",
        "关于调整党员活动室开放时间的通知",
        "党员活动室开放时间调整为工作日9:00-17:00。\n（因时间有误已撤回，另行通知）",
        status=WITHDRAWN,
        days_ago=20,
    ),
    NoticeSpec(
        "supply",
        "关于开展仓储配送安全生产党员示范岗创建活动的通知",
        "仓储配送党支部：\n\n请结合仓储、配送一线实际，推选安全生产党员示范岗，"
        "于月底前将推荐名单报党总支。\n\n采购供应党总支",
        days_ago=14,
        read_every=4,
    ),
    NoticeSpec(
        "front",
        "关于召开本月主题党日活动的通知",
        "全体党员：\n\n本月主题党日定于本周五下午14:00在计划管理部会议室举行，"
        "主题为“服务供应链 党员当先锋”。请准时参加，不能参加的向支部书记请假。\n\n"
        "计划招标党支部",
        days_ago=3,
        read_every=6,
    ),
)


def _at(today: datetime.date, days_ago: int, hour: int = 9) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


def _load_one(
    spec: NoticeSpec, organisation: Organisation, today: datetime.date, created: Counter
) -> None:
    if Notice.objects.filter(organisation=organisation, title=spec.title).exists():
        return
    notice = notice_create(
        organisation=organisation, by=None, data=NoticeData(spec.title, spec.body, spec.importance)
    )
    created["notices"] += 1
    if spec.status == DRAFT:
        return
    published_at = _at(today, spec.days_ago)
    notice_publish(notice=notice, by=None, now=published_at, enqueue=False)
    notice_fan_out(notice_id=notice.pk)
    if spec.status == WITHDRAWN:
        notice_withdraw(notice=notice, by=None, now=published_at + datetime.timedelta(hours=2))
        return
    receipts = notice.receipts.select_related("person__user").order_by("person__name", "person__pk")
    for n, receipt in enumerate(receipts, start=1):
        person = receipt.person
        is_dangyuan = person.user is not None and person.user.username == "dangyuan"
        reads = spec.dangyuan_read if is_dangyuan else bool(spec.read_every and n % spec.read_every)
        if reads:
            read_at = published_at + datetime.timedelta(hours=1 + n % 47)
            receipt_record(notice=notice, person=person, now=min(read_at, timezone.now()))
            created["notice receipts (read)"] += 1


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    today = timezone.localdate()
    orgs = {}
    for spec in members_demo.ORGANISATIONS:
        organisation = (
            Organisation.objects.filter(name=spec.name, kind=spec.kind).order_by("path").first()
        )
        if organisation is not None:
            orgs[spec.key] = organisation
    created: Counter = Counter()
    for spec in NOTICES:
        if spec.org in orgs:
            _load_one(spec, orgs[spec.org], today, created)
    for what, n in created.items():
        report.created[what] += n
    report.totals["notices (published)"] = Notice.objects.published().count()
