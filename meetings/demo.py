"""Party-life demo data: a year of meetings for the demo organisation (`members.demo`).

`load()` is called by the demo loader at the end of its transaction. For each month
of the current year before the current one (at least the three months before it,
so a demo loaded in January is not empty), every branch has held its committee
meeting and theme party day, its quarterly general meeting and party lesson, its
party groups their group meetings, and the committee and general branches their
central-group study, with attendance (mostly present, some on leave with a
reason, a few absent) and some make-up study done. A couple of gaps make the
panels look like real branches: a missed theme day, a general meeting without its
quorum, a secretary who has not given a lesson yet, and quarterly meetings some
branches hold late in the quarter. The current month is left to fill, so a new user
can record this month's committee meeting and watch the obligations move.

Everything is computed from an anchor, the first day of the current month, by
arithmetic; a meeting is keyed by (organisation, kind, date and time) and an
existing one is left as it is, so a rerun in the same month creates nothing (a rerun
in a later month adds the months that have passed since). Meetings are written
through the services, so the demo passes the same checks as a secretary.
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
from members.models import Person, Post

from .exports import KIND_NAMES
from .models import Attendance, Meeting, MeetingKind, QuorumRule
from .selectors import expected_attendees
from .services import (
    AttendanceEntry,
    MeetingData,
    makeup_mark_done,
    meeting_create,
    meeting_submit,
)

Kind = MeetingKind
Role = Post.Role
Status = Attendance.Status
PRESENT, LEAVE, ABSENT = Status.PRESENT, Status.LEAVE, Status.ABSENT


@dataclass(frozen=True)
class BranchPlan:
    """How one demo branch runs its year (organisation keys of `members.demo`)."""

    key: str
    lesson_month: int  # 0-2: the month of each quarter in which it holds its party lesson
    general_month: int  # the same for its general meeting
    secretary_lectures: bool = True  # the secretary gave the year's first lesson
    missed_theme_day: int | None = None  # months before the anchor: a theme day not held
    inquorate_general: bool = False  # its first general meeting lacked a quorum


BRANCHES = (
    BranchPlan("front", lesson_month=0, general_month=2),
    BranchPlan("middle", lesson_month=1, general_month=0),
    BranchPlan("back", lesson_month=2, general_month=1,
               inquorate_general=True),
    BranchPlan("end", lesson_month=1, general_month=2,
               secretary_lectures=False, missed_theme_day=1),
    BranchPlan("functional", lesson_month=0, general_month=0),
)
GROUPS = ("middle-procurement", "middle-contracts", "back-warehousing", "back-distribution")
STUDY_HOLDERS = ("committee", "jiguan", "supply")
PLACES = {
    "front": "计划管理部会议室",
    "middle": "合同管理部会议室",
    "back": "仓储管理中心党员活动室",
    "end": "质量监督中心会议室",
    "functional": "公司三楼党员活动室",
    "middle-procurement": "采购管理部会议室",
    "middle-contracts": "合同管理部会议室",
    "back-warehousing": "仓储管理中心现场",
    "back-distribution": "配送管理中心调度室",
}
STUDY_PLACE = "公司四楼会议室"

TOPICS = {
    Kind.COMMITTEE_MEETING: (
        "研究本月支部工作安排和重点工程物资供应保障",
        "讨论入党积极分子培养考察情况",
        "研究“联帮促”结对走访计划",
        "分析问题台账挂号销账进度",
        "研究党员先锋岗和岗位之星评选",
        "研究支部达标考核自评工作",
    ),
    Kind.THEME_DAY: (
        "重温入党誓词，亮牌承诺",
        "共产党员服务队走进项目现场",
        "学习《中国共产党支部工作条例（试行）》",
        "供应商接待日志愿服务",
        "安全责任区联合巡查",
        "“员工讲大家听”业务微课堂",
    ),
    Kind.GENERAL_MEETING: (
        "通报支部工作，讨论党费收缴和使用情况",
        "讨论发展对象和预备党员教育考察情况",
        "学习传达上级党委会议精神",
        "民主评议党员工作动员",
    ),
    Kind.PARTY_LESSON: (
        "以高质量党建引领供应链高质量发展",
        "守牢合同履约廉洁风险底线",
        "在标准化仓库建设中发挥党员先锋作用",
        "传承红色基因，做新时代合格党员",
    ),
    Kind.GROUP_MEETING: (
        "学习交流和谈心谈话",
        "讨论本组“双向双带”结对进展",
        "收集员工意见建议",
    ),
    Kind.CENTRAL_STUDY: (
        "专题学习习近平新时代中国特色社会主义思想，协调重点工程物资到货问题",
        "学习上级会议精神，协调招标计划与采购执行衔接",
        "学习党内法规，协调合同结算与仓储配送交接",
        "专题学习安全生产，协调废旧物资处置进度",
    ),
}
LEAVE_REASONS = (
    "出差（驻厂监造）",
    "参加招标评标工作",
    "病假",
    "年休假",
    "参加上级单位培训",
    "重点工程物资现场保障",
)
# The days of the month each kind is held on (moved off weekends).
DAYS = {
    Kind.COMMITTEE_MEETING: 3,
    Kind.THEME_DAY: 10,
    Kind.GENERAL_MEETING: 14,
    Kind.PARTY_LESSON: 17,
    Kind.GROUP_MEETING: 21,
    Kind.CENTRAL_STUDY: 24,
}
KIND_ORDER = tuple(DAYS)


def anchor(today: datetime.date | None = None) -> datetime.date:
    """The first day of the current month: every date below is counted from it."""
    return (today or timezone.localdate()).replace(day=1)


def past_months(start: datetime.date) -> list[tuple[int, int]]:
    """(year, month) of the months before `start`: the current year's, and at least
    three."""
    count = max(start.month - 1, 3)
    months = []
    year, month = start.year, start.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return sorted(months)


def _held_at(year: int, month: int, day: int, hour: int = 14) -> datetime.datetime:
    date = datetime.date(year, month, day)
    while date.weekday() >= 5:  # a meeting on a working day
        date += datetime.timedelta(days=1)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(date, datetime.time(hour, 30), tzinfo=tz)


class _MeetingsLoader:
    def __init__(self, orgs: dict[str, Organisation], today: datetime.date) -> None:
        self.orgs = orgs
        self.today = today
        self.start = anchor(today)
        self.created: Counter = Counter({"meetings": 0, "attendance records": 0})
        self.posts = self._posts()
        self.quorums = {q.meeting_kind: q for q in QuorumRule.objects.filter(is_enabled=True)}
        # The key of every meeting already there: a rerun skips them without a query each.
        self.existing = set(
            Meeting.objects.filter(organisation__in=list(orgs.values()))
            .values_list("organisation_id", "kind", "held_at")
        )

    def _posts(self) -> dict[tuple[int, str], Person]:
        posts = Post.objects.current().filter(
            organisation__in=list(self.orgs.values())).select_related("person__user")
        return {(post.organisation_id, post.role): post.person for post in posts}

    def person(self, org: Organisation, *roles: str) -> Person | None:
        for role in roles:
            if (found := self.posts.get((org.pk, role))) is not None:
                return found
        return None

    def run(self) -> Counter:
        months = past_months(self.start)
        for index, (year, month) in enumerate(months):
            back = len(months) - index  # months before the anchor
            quarter_month = (month - 1) % 3
            for number, plan in enumerate(BRANCHES):
                branch = self.orgs.get(plan.key)
                if branch is None:
                    continue
                secretary = self.person(branch, Role.SECRETARY)
                self.meeting(branch, Kind.COMMITTEE_MEETING, year, month, number)
                if plan.missed_theme_day != back:
                    self.meeting(branch, Kind.THEME_DAY, year, month, number)
                if quarter_month == plan.general_month:
                    first = month - 1 < 3 and year == self.start.year
                    self.meeting(branch, Kind.GENERAL_MEETING, year, month, number,
                                 inquorate=plan.inquorate_general and first)
                if quarter_month == plan.lesson_month:
                    first_lesson = month <= 3 and year == self.start.year
                    lecturer = (secretary if plan.secretary_lectures and first_lesson
                                else self.person(branch, Role.PROPAGANDA, Role.ORGANISATION))
                    self.meeting(branch, Kind.PARTY_LESSON, year, month, number,
                                 lecturer=lecturer)
            for kind, keys in ((Kind.GROUP_MEETING, GROUPS),
                               (Kind.CENTRAL_STUDY, STUDY_HOLDERS)):
                for number, key in enumerate(keys):
                    if key in self.orgs:
                        self.meeting(self.orgs[key], kind, year, month, number)
        return self.created

    def meeting(self, org: Organisation, kind: str, year: int, month: int, number: int, *,
                lecturer: Person | None = None, inquorate: bool = False) -> None:
        held_at = _held_at(year, month, DAYS[kind] + number % 3)
        if (org.pk, kind, held_at) in self.existing:
            return
        secretary = self.person(org, Role.SECRETARY, Role.GROUP_LEADER)
        recorder = self.person(org, Role.PROPAGANDA, Role.ORGANISATION, Role.DEPUTY_SECRETARY)
        topics = TOPICS[kind]
        topic = topics[(month + number) % len(topics)]
        place = next((PLACES[key] for key, o in self.orgs.items()
                      if o.pk == org.pk and key in PLACES), STUDY_PLACE)
        entries = self.attendance(org, kind, month, number, inquorate=inquorate)
        meeting = meeting_create(
            organisation=org,
            kind=kind,
            data=MeetingData(
                held_at=held_at,
                topic=topic,
                place=place,
                host=secretary,
                recorder=recorder,
                lecturer=lecturer if kind == Kind.PARTY_LESSON else None,
                content=f"{org.name}{month}月{KIND_NAMES[kind]}：{topic}。"
                "与会同志逐一发言，结合供应链各环节工作查找问题、提出措施。",
                resolutions="形成会议纪要，明确责任人和完成时限，纳入问题台账跟踪。"
                if kind in (Kind.COMMITTEE_MEETING, Kind.GENERAL_MEETING) else "",
            ),
            attendance=entries,
            by=secretary.user if secretary else None,
        )
        submitted_at = min(held_at + datetime.timedelta(days=1, hours=2), timezone.now())
        meeting_submit(meeting=meeting, by=secretary.user if secretary else None,
                       now=submitted_at)
        self.created["meetings"] += 1
        self.created["attendance records"] += len(entries)
        self.makeups(meeting, held_at)

    def attendance(self, org: Organisation, kind: str, month: int, number: int, *,
                   inquorate: bool) -> list[AttendanceEntry]:
        """Mostly present, about one in ten on leave with a reason, one in twenty
        absent; then enough voters present for the quorum, unless it is the planned
        meeting without one."""
        people = list(expected_attendees(org, kind).order_by("employee_no", "pk"))
        salt = month * 3 + KIND_ORDER.index(kind) * 5 + number * 7
        statuses = {}
        for index, person in enumerate(people):
            h = (index * 7 + salt) % 20
            statuses[person.pk] = ABSENT if h == 0 else LEAVE if h in (1, 2) else PRESENT
        quorum = self.quorums.get(kind)
        if quorum is not None:
            voters = [p for p in people if quorum.voters != QuorumRule.Voters.FULL_MEMBERS
                      or p.status == Person.Status.FULL]
            needed = quorum.needed(len(voters))
            if inquorate:
                for person in voters[needed - 1:]:
                    statuses[person.pk] = LEAVE if person.pk % 2 else ABSENT
            else:
                missing = [p for p in voters if statuses[p.pk] != PRESENT]
                present = len(voters) - len(missing)
                for person in missing[: max(needed - present, 0)]:
                    statuses[person.pk] = PRESENT
        return [
            AttendanceEntry(
                person.pk, statuses[person.pk],
                LEAVE_REASONS[(person.pk + month) % len(LEAVE_REASONS)]
                if statuses[person.pk] == LEAVE else "",
            )
            for person in people
        ]

    def makeups(self, meeting: Meeting, held_at: datetime.datetime) -> None:
        """Those who missed a meeting more than two months ago have mostly made it up."""
        if (self.start - held_at.date()).days < 62:
            return
        for row in meeting.attendances.exclude(status=PRESENT).select_related("person"):
            if row.person_id % 3:
                makeup_mark_done(attendance=row, person=row.person,
                                 on=held_at.date() + datetime.timedelta(days=7))


def demo_organisations() -> dict[str, Organisation]:
    """The demo's organisations by their key in `members.demo`, found by name and
    kind (one missing, e.g. renamed since, is left out)."""
    found = {}
    for spec in members_demo.ORGANISATIONS:
        organisation = (Organisation.objects.filter(name=spec.name, kind=spec.kind)
                        .order_by("path").first())
        if organisation is not None:
            found[spec.key] = organisation
    return found


def load(report: members_demo.Report, *, today: datetime.date | None = None) -> None:
    """Create the demo's meetings that are missing and count them, with the totals,
    in the members demo's report. Runs inside the demo loader's transaction."""
    created = _MeetingsLoader(demo_organisations(), today or timezone.localdate()).run()
    for what, n in created.items():
        report.created[what] += n
    submitted = Meeting.objects.submitted()
    report.totals["meetings (submitted)"] = submitted.count()
    report.totals["meetings without their quorum"] = submitted.filter(is_quorate=False).count()
    report.totals["attendance records"] = Attendance.objects.count()
